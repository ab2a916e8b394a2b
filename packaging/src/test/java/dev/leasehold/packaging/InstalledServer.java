package dev.leasehold.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The installed {@code leasehold serve}, run as the package's {@code leasehold} user with no
 * capabilities (setpriv execs, so the process is the launcher's JVM and signals reach it).
 */
final class InstalledServer implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final long startNanos;

    private InstalledServer(Process process, Path log, long startNanos) {
        this.process = process;
        this.log = log;
        this.startNanos = startNanos;
    }

    /** Starts {@code serve --config config} as {@code user}, with {@code env} (NAME=value) added. */
    static InstalledServer start(String user, Path config, Path log, String... env) throws IOException {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups",
                "--", "env"));
        command.addAll(List.of(env));
        command.addAll(List.of("/usr/bin/leasehold", "serve", "--config", config.toString()));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new InstalledServer(p, log, start);
    }

    /** Waits, bounded, for a log line containing {@code text}; returns the time since start. */
    Duration awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (log().contains(text)) {
                return Duration.ofNanos(System.nanoTime() - startNanos);
            }
            if (!process.isAlive() && !log().contains(text)) {
                throw new AssertionError("the server ended (exit " + process.exitValue() + ") before '" + text + "':\n" + log());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + log());
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    long pid() {
        return process.pid();
    }

    /** Resident memory (VmRSS) in KiB. */
    long residentKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + process.pid());
    }

    void signal(String name) throws IOException, InterruptedException {
        Shell.run("kill", "-" + name, Long.toString(process.pid())).expect(0, "kill -" + name);
    }

    int awaitExit(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + ":\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
