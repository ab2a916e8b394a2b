package dev.leasehold.testkit.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: Debian's binaries (package {@code postgresql}), a cluster
 * made by {@code initdb} in a fresh folder under /tmp, listening on TCP 127.0.0.1 at a free port
 * (pgjdbc speaks TCP only), trust authentication, stopped and deleted by {@link #close()}.
 *
 * <p>PostgreSQL refuses to run as root, and CI runs as root: there the cluster belongs to the
 * unprivileged user {@code nobody} and every server command runs through {@code runuser}.
 *
 * <p>A JVM killed before {@link #close()} leaves a cluster behind; the next start stops clusters
 * whose JVM is gone (each folder names its JVM's pid in {@code owner.pid}).
 */
public final class ThrowawayPostgres implements AutoCloseable {

    /** The database superuser the cluster is made with; trust authentication, so no password. */
    public static final String USER = "leasehold";
    private static final Path BIN = Path.of(System.getProperty("leasehold.postgres.bin", "/usr/lib/postgresql/15/bin"));
    private static final Path PARENT = Path.of("/tmp");
    private static final String PREFIX = "leasehold-pg-";
    private static final String UNPRIVILEGED = "nobody";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path folder;
    private final Path data;
    private final int port;
    /** Empty, or the network namespace the server and psql run in ({@code ip netns exec NAME}). */
    private final Optional<String> namespace;
    private boolean running;

    private ThrowawayPostgres(Path folder, int port, Optional<String> namespace) {
        this.folder = folder;
        this.data = folder.resolve("data");
        this.port = port;
        this.namespace = namespace;
    }

    /** An address of the lab namespace to listen on too, and the prefix whose clients are trusted. */
    private record LabListener(String address, String prefix) {}

    /** Why no cluster can be started here, or empty when one can. */
    public static Optional<String> unavailableReason() {
        if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.isExecutable(BIN.resolve("pg_ctl"))) {
            return Optional.of("PostgreSQL server binaries not found in " + BIN
                    + " (install Debian's postgresql package, or set -Dleasehold.postgres.bin)");
        }
        if (isRoot() && !Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(Path.of("/sbin/runuser"))) {
            return Optional.of("running as root, and runuser (util-linux) is missing to start PostgreSQL as " + UNPRIVILEGED);
        }
        return Optional.empty();
    }

    /** Makes and starts a new cluster; the caller closes it. */
    public static ThrowawayPostgres start() throws IOException {
        return start(Optional.empty());
    }

    /**
     * As {@link #start()}, with the server and every psql inside network namespace
     * {@code namespace} (a test lab's): it listens on that namespace's 127.0.0.1, for servers
     * started in the same namespace.
     */
    public static ThrowawayPostgres startInNamespace(String namespace) throws IOException {
        return start(Optional.of(namespace), Optional.empty());
    }

    /**
     * As {@link #startInNamespace(String)}, also listening on {@code labAddress} (an address of
     * that namespace) and trusting clients from {@code labPrefix}, for servers in the lab's other
     * namespaces.
     */
    public static ThrowawayPostgres startInNamespace(String namespace, String labAddress, String labPrefix)
            throws IOException {
        return start(Optional.of(namespace), Optional.of(new LabListener(labAddress, labPrefix)));
    }

    private static ThrowawayPostgres start(Optional<String> namespace) throws IOException {
        return start(namespace, Optional.empty());
    }

    private static ThrowawayPostgres start(Optional<String> namespace, Optional<LabListener> lab) throws IOException {
        unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        stopAbandoned();
        Path folder = Files.createTempDirectory(PARENT, PREFIX,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(folder.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
        Files.createDirectories(folder.resolve("data"));
        if (isRoot()) {
            run(List.of("chown", "-R", UNPRIVILEGED, folder.toString()));
        }
        ThrowawayPostgres postgres = new ThrowawayPostgres(folder, namespace.isPresent() ? 5432 : freePort(), namespace);
        try {
            postgres.serverCommand(List.of(BIN.resolve("initdb").toString(), "-D", postgres.data.toString(), "-U", USER,
                    "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"));
            Files.writeString(postgres.data.resolve("postgresql.conf"), String.join("\n",
                    "listen_addresses = '127.0.0.1" + lab.map(l -> ", " + l.address()).orElse("") + "'",
                    "port = " + postgres.port,
                    "unix_socket_directories = '" + folder + "'",
                    "max_connections = 200",
                    "shared_buffers = 32MB",
                    "logging_collector = off",
                    ""), StandardOpenOption.APPEND);
            if (lab.isPresent()) {
                Files.writeString(postgres.data.resolve("pg_hba.conf"),
                        "host all all " + lab.get().prefix() + " trust\n", StandardOpenOption.APPEND);
            }
            postgres.startServer();
            return postgres;
        } catch (IOException | RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    /** Starts the server again after {@link #stopServer()}, on the same port and data. */
    public synchronized void startServer() throws IOException {
        serverCommand(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                folder.resolve("server.log").toString(), "-w", "-t", "60", "start"));
        running = true;
    }

    /**
     * Stops the server as an operator or a crash would: {@code fast} ends every session at once
     * (clients see their connections drop); {@code immediate} is a crash without a checkpoint.
     */
    public synchronized void stopServer(String mode) throws IOException {
        if (!List.of("smart", "fast", "immediate").contains(mode)) {
            throw new IllegalArgumentException("pg_ctl stop mode: smart, fast or immediate, not " + mode);
        }
        serverCommand(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", mode, "-w", "-t", "60",
                "stop"));
        running = false;
    }

    /** The postmaster's pid (its children are the sessions), for measuring the server's CPU time. */
    public long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().strip());
    }

    public int port() {
        return port;
    }

    /** A pgjdbc URL for {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Runs {@code sql} with psql as the superuser (CREATE DATABASE, say), failing on any error. */
    public String psql(String database, String sql) throws IOException {
        return serverCommand(List.of(BIN.resolve("psql").toString(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-d", database, "-c", sql));
    }

    /** Creates an empty database and answers its name. */
    public String createDatabase(String name) throws IOException {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database names here are lower-case identifiers: " + name);
        }
        psql("postgres", "CREATE DATABASE " + name);
        return name;
    }

    /** The server's log so far, for a failing test's message. */
    public String log() {
        try {
            Path log = folder.resolve("server.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server (ending every session) and deletes the cluster. Idempotent. */
    @Override
    public synchronized void close() {
        try {
            if (running || Files.exists(data.resolve("postmaster.pid"))) {
                // Outside any namespace: pg_ctl stops by signal, and the lab's namespace may be gone already.
                List<String> stop = new ArrayList<>();
                if (isRoot()) {
                    stop.addAll(List.of("runuser", "-u", UNPRIVILEGED, "--"));
                }
                stop.addAll(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
                        "-w", "-t", "30", "stop"));
                run(stop);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("stopping the throwaway PostgreSQL in " + folder + " failed: " + e.getMessage());
        } finally {
            running = false;
            deleteTree(folder);
        }
    }

    private String serverCommand(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        namespace.ifPresent(ns -> full.addAll(List.of("ip", "netns", "exec", ns)));
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", UNPRIVILEGED, "--"));
        }
        full.addAll(command);
        return run(full);
    }

    private static String run(List<String> command) throws IOException {
        Path output = Files.createTempFile("leasehold-pg-cmd", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .directory(PARENT.toFile()).start();
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("`" + String.join(" ", command) + "` did not finish in " + COMMAND_TIMEOUT);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException("`" + String.join(" ", command) + "` exited " + process.exitValue() + ":\n" + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Stops and deletes clusters left by JVMs that died before closing them. */
    private static void stopAbandoned() {
        try (Stream<Path> folders = Files.list(PARENT)) {
            for (Path folder : folders.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                Path owner = folder.resolve("owner.pid");
                try {
                    long pid = Long.parseLong(Files.readString(owner).strip());
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                } catch (IOException | NumberFormatException e) {
                    // No owner yet (being made right now) or unreadable: leave it.
                    continue;
                }
                new ThrowawayPostgres(folder, 0, Optional.empty()).close();
            }
        } catch (IOException e) {
            // Nothing to clean, or /tmp unreadable: the new cluster does not depend on it.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Best effort: a leftover file under /tmp is harmless.
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Best effort, as above.
        }
    }
}
