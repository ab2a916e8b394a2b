package dev.leasehold.client.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How {@code leasehold client IFACE --renew | --release | --status} reaches the client that runs
 * on IFACE: a Unix socket, {@code /run/leasehold/client-IFACE[-NETNS].sock}, mode 0600 (root's
 * only). One line in ({@code renew}, {@code release}, {@code status}), one line out ({@code ok …}
 * or {@code error …}).
 *
 * <p>The socket's thread only reads requests and queues them; the client's own thread takes them
 * from the queue between packets, so the state machine keeps its single owner. A socket file
 * left by a killed client is recognised (nobody answers on it) and replaced; one that answers
 * means a client already runs on the interface, and a second one is refused.
 */
public final class ControlSocket implements AutoCloseable {

    /** A request from another process; the client thread completes {@code reply} with the answer line. */
    public record Request(String verb, CompletableFuture<String> reply) {
    }

    private static final int MAX_LINE = 256;
    private static final Duration REPLY_WAIT = Duration.ofSeconds(30);

    private final Path path;
    private final ServerSocketChannel server;
    private final Thread acceptor;

    private ControlSocket(Path path, ServerSocketChannel server, Queue<Request> requests) {
        this.path = path;
        this.server = server;
        this.acceptor = Thread.ofVirtual().name("client-control " + path.getFileName()).start(() -> accept(requests));
    }

    /** The socket of {@code interfaceName} in {@code namespace}, under {@code runDirectory}. */
    public static Path path(Path runDirectory, String interfaceName, NetworkNamespace namespace) {
        return runDirectory.resolve("client-" + interfaceName + namespace.name().map(n -> "-" + n).orElse("") + ".sock");
    }

    /** Listens on {@code path}, queueing requests into {@code requests}. */
    public static ControlSocket open(Path path, Queue<Request> requests) throws ClientStartException {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            if (Files.exists(path)) {
                if (answers(path)) {
                    throw new ClientStartException("a client already runs on this interface (its control socket " + path
                            + " answers); stop it first, or talk to it with --renew, --release or --status");
                }
                Files.delete(path); // left by a client that was killed
            }
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            return new ControlSocket(path, server, requests);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ClientStartException("cannot open the control socket " + path + ": permission denied on " + e.getFile()
                    + " (the client runs as root; --run-dir names another folder)", e);
        } catch (IOException e) {
            throw new ClientStartException("cannot open the control socket " + path + ": " + e.getMessage(), e);
        }
    }

    /** Sends {@code verb} to the client listening on {@code path} and returns its answer line. */
    public static String send(Path path, String verb, Duration timeout) throws ClientStartException {
        if (!Files.exists(path)) {
            throw new ClientStartException("no client runs on this interface (no control socket " + path + ")");
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(path));
            channel.write(ByteBuffer.wrap((verb + "\n").getBytes(StandardCharsets.UTF_8)));
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> readLine(channel),
                    r -> Thread.ofVirtual().start(r));
            return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new ClientStartException("no client answers on " + path + " (" + e.getMessage() + ")", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ClientStartException("the client on " + path + " did not answer within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientStartException("interrupted waiting for " + path, e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing: nothing left to do with it
        }
        acceptor.interrupt();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a stale file is recognised and replaced at the next start
        }
    }

    private static boolean answers(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void accept(Queue<Request> requests) {
        while (server.isOpen()) {
            try {
                SocketChannel connection = server.accept();
                Thread.ofVirtual().start(() -> serve(connection, requests));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    private static void serve(SocketChannel connection, Queue<Request> requests) {
        try (connection) {
            // A connection that sends nothing is closed after the reply wait, so it cannot pin a thread forever.
            CompletableFuture.delayedExecutor(REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                try {
                    connection.close();
                } catch (IOException e) {
                    // already closed
                }
            });
            String verb = readLine(connection).strip();
            Request request = new Request(verb, new CompletableFuture<>());
            requests.add(request);
            String answer;
            try {
                answer = request.reply().get(REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                answer = "error: the client did not handle '" + verb + "' in time";
            }
            connection.write(ByteBuffer.wrap((answer + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            // the asking process went away, or sent nonsense: nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readLine(SocketChannel channel) {
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = reader.read()) >= 0 && c != '\n' && line.length() < MAX_LINE) {
                line.append((char) c);
            }
            return line.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
