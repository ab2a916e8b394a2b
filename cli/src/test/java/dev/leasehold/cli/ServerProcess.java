package dev.leasehold.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** `leasehold serve` in a child JVM, for tests that kill it the hard way. */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final List<String> log = new ArrayList<>();
    private final CountDownLatch serving = new CountDownLatch(1);

    private ServerProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (log) {
                        log.add(line);
                    }
                    if (line.contains("serving ")) {
                        serving.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        });
    }

    static ServerProcess start(Path config) throws IOException, InterruptedException {
        return start(config, List.of());
    }

    /** As {@link #start(Path)}, the JVM started through {@code launcher} (such as {@code nohup}). */
    static ServerProcess start(Path config, List<String> launcher) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(java, "-cp", System.getProperty("java.class.path"), "-Xmx512m",
                "dev.leasehold.cli.Main", "serve", "--config", config.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ServerProcess server = new ServerProcess(p);
        if (!server.serving.await(30, TimeUnit.SECONDS)) {
            server.close();
            throw new IllegalStateException("server did not start:\n" + server.log());
        }
        return server;
    }

    /** A UDP port on loopback that is free right now. */
    static int freePort() throws IOException {
        try (DatagramChannel c = DatagramChannel.open()) {
            c.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) c.getLocalAddress()).getPort();
        }
    }

    /** SIGKILL: no shutdown hook, no flush, as a power cut or the OOM killer would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Sends a signal by name (HUP, TERM) with kill(1). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " failed");
        }
    }

    /** Waits, bounded, until the server has logged a line containing {@code text}. */
    void awaitLog(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (log().contains(text)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no log line with '" + text + "' within " + timeout + ":\n" + log());
    }

    /** Waits, bounded, for the process to end and returns its exit status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + ":\n" + log());
        }
        return process.exitValue();
    }

    String log() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }
}
