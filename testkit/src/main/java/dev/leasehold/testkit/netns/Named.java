package dev.leasehold.testkit.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An authoritative BIND 9 ({@code named}, Debian package bind9) in a lab namespace or on
 * loopback: primary for the zones it is given, accepting RFC 2136 updates signed with one TSIG
 * key (hmac-sha256) that it generates, listening only on the one address and port given. Runs in
 * the foreground ({@code -g}) as a child of the test, with everything (config, zones, journals)
 * in one directory, so {@link #stop} and {@link #start} again keep the zones' updates.
 * {@link #lookup} asks it with {@code dig} from where it runs.
 */
public final class Named {

    /** named logs this once every zone is loaded and it answers. */
    public static final String RUNNING = "running";
    private static final Duration START = Duration.ofSeconds(20);
    private static final Duration DIG = Duration.ofSeconds(10);

    /** Starts a named command line whose output goes to the log of the given name. */
    private final BiFunction<String, List<String>, LabProcess> starter;
    /** Runs a command (dig) where named runs, to completion. */
    private final Function<List<String>, CommandResult> runner;
    private final String address;
    private final int port;
    private final Path dir;
    private final String keyName;
    private final String secret;
    private LabProcess process;
    private int runs;

    private Named(BiFunction<String, List<String>, LabProcess> starter,
                  Function<List<String>, CommandResult> runner, String address, int port, Path dir,
                  String keyName, String secret) {
        this.starter = starter;
        this.runner = runner;
        this.address = address;
        this.port = port;
        this.dir = dir;
        this.keyName = keyName;
        this.secret = secret;
    }

    /**
     * Writes the configuration and a zone file per name in {@code zones} (an SOA and an NS record;
     * names ending in {@code in-addr.arpa} are reverse zones) and starts named.
     */
    public static Named start(NetnsLab lab, String namespace, String address, int port, String keyName, List<String> zones) {
        return start(lab.workDir().resolve("named"), (name, command) -> lab.start(name, namespace, command),
                command -> lab.exec(namespace, DIG, command, Map.of()), address, port, keyName, zones);
    }

    /**
     * As {@link #start(NetnsLab, String, String, int, String, List)}, on 127.0.0.1 of this host
     * (traffic stays on loopback), with its files and log in {@code dir}; {@link #stop} it when done.
     */
    public static Named onLoopback(Path dir, int port, String keyName, List<String> zones) {
        return start(dir, (name, command) -> {
            Path log = dir.resolve(name + ".log");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
                return new LabProcess(name, command, p, log);
            } catch (IOException e) {
                throw new LabException("cannot start named: " + e.getMessage(), e);
            }
        }, command -> Commands.run(command, Map.of(), DIG), "127.0.0.1", port, keyName, zones);
    }

    private static Named start(Path dir, BiFunction<String, List<String>, LabProcess> starter,
                               Function<List<String>, CommandResult> runner, String address, int port,
                               String keyName, List<String> zones) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Named named = new Named(starter, runner, address, port, dir, keyName, Base64.getEncoder().encodeToString(key));
        try {
            Files.createDirectories(dir);
            StringBuilder conf = new StringBuilder("""
                    options {
                        directory "%1$s";
                        pid-file "%1$s/named.pid";
                        session-keyfile "%1$s/session.key";
                        managed-keys-directory "%1$s";
                        listen-on port %2$d { %3$s; };
                        listen-on-v6 { none; };
                        recursion no;
                        dnssec-validation no;
                        allow-query { any; };
                        notify no;
                    };
                    controls { };
                    key "%4$s" { algorithm hmac-sha256; secret "%5$s"; };
                    """.formatted(dir, port, address, keyName, named.secret));
            for (String zone : zones) {
                Path file = dir.resolve(zone + ".zone");
                Files.writeString(file, """
                        $TTL 300
                        @ IN SOA ns.invalid. hostmaster.invalid. ( 1 300 60 86400 60 )
                          IN NS  ns.invalid.
                        """);
                conf.append("""
                        zone "%1$s" { type primary; file "%2$s"; allow-update { key "%3$s"; }; };
                        """.formatted(zone, file, keyName));
            }
            Files.writeString(dir.resolve("named.conf"), conf.toString());
        } catch (IOException e) {
            throw new LabException("cannot write the named configuration in " + dir, e);
        }
        named.start();
        return named;
    }

    /** Starts named (again, after {@link #stop}) and waits until it answers. */
    public void start() {
        // One log per run: each run must be seen to print RUNNING itself.
        process = starter.apply("named-" + ++runs, List.of("named", "-g", "-4", "-n", "1", "-c",
                dir.resolve("named.conf").toString()));
        try {
            Await.until("named to run", START, () -> process.output().contains(RUNNING) || !process.isAlive());
        } catch (LabTimeoutException e) {
            throw new LabTimeoutException("named to print \"" + RUNNING + "\"", START, process.tail());
        }
        if (!process.isAlive()) {
            throw new LabException("named exited before running\n" + process.tail());
        }
    }

    /** Stops named (SIGTERM; it writes its journals) and waits for it to exit. */
    public void stop() {
        process.stop(Duration.ofSeconds(10));
    }

    /** The base64 secret of the key named accepts. */
    public String secret() {
        return secret;
    }

    /** The secret of the key named accepts, as a file for the server (mode 600, as the server demands). */
    public Path writeSecret(Path file) {
        return writeSecret(file, secret);
    }

    /** Another secret under the same key name: updates signed with it are refused (TSIG BADSIG). */
    public Path writeWrongSecret(Path file) {
        return writeSecret(file, Base64.getEncoder().encodeToString(new byte[32]));
    }

    private static Path writeSecret(Path file, String secret) {
        try {
            Files.writeString(file, secret + "\n");
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new LabException("cannot write " + file, e);
        }
    }

    public String keyName() {
        return keyName;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public LabProcess process() {
        return process;
    }

    /** The answer's records ({@code dig +short}), empty when there are none. */
    public List<String> lookup(String name, String type) {
        CommandResult r = runner.apply(List.of("dig", "@" + address, "-p", Integer.toString(port), "+short",
                "+norecurse", "+time=2", "+tries=2", name, type)).requireSuccess();
        List<String> out = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            if (!line.isBlank() && !line.startsWith(";")) {
                out.add(line.strip());
            }
        }
        return out;
    }

    /** The one record of {@code name} and {@code type}, if there is one. */
    public Optional<String> lookupOne(String name, String type) {
        List<String> all = lookup(name, type);
        return all.size() == 1 ? Optional.of(all.getFirst()) : Optional.empty();
    }
}
