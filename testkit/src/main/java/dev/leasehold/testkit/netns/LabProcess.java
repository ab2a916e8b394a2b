package dev.leasehold.testkit.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A long-running process started by a {@link NetnsLab} inside one of its namespaces: a server,
 * a client daemon, a relay, a capture. Its stdout and stderr go to {@link #log()}.
 *
 * <p>{@code ip netns exec} execs the command, so {@link #pid()} is the command itself and a
 * SIGTERM reaches it directly. Daemons that fork (dhcpcd's privilege separation) leave children
 * behind; {@link NetnsLab#close()} kills whatever is still in its namespaces.
 */
public final class LabProcess implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Process process;
    private final Path log;

    LabProcess(String name, List<String> command, Process process, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.process = process;
        this.log = log;
    }

    public String name() {
        return name;
    }

    public List<String> command() {
        return command;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process has written so far (stdout and stderr). */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the output contains {@code text}; fails with the output so far when it does not appear in time. */
    public void awaitOutput(String text, Duration timeout) {
        try {
            Await.until(name + " to print \"" + text + "\"", timeout, () -> output().contains(text));
        } catch (LabTimeoutException e) {
            throw new LabTimeoutException(name + " to print \"" + text + "\"", timeout, tail());
        }
    }

    /** Waits for the process to exit by itself and returns its status. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new LabTimeoutException(name + " to exit", timeout, tail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted waiting for " + name, e);
        }
    }

    /** The exit status, once the process has ended. */
    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** Sends a signal by name ("HUP", "USR1", "USR2", …), e.g. to make udhcpc renew or release. */
    public void signal(String signal) {
        Commands.run(Duration.ofSeconds(5), "kill", "-s", signal, Long.toString(process.pid())).requireSuccess();
    }

    /**
     * SIGTERM, then SIGKILL (to it and its children) when it has not exited within {@code grace}.
     * Returns the exit status; a process killed by a signal reports 128 + the signal number.
     */
    public int stop(Duration grace) {
        List<ProcessHandle> children = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        children.forEach(ProcessHandle::destroyForcibly);
        return process.isAlive() ? -1 : process.exitValue();
    }

    /**
     * SIGKILL to the process and its children, as a crash or a power cut would: a DHCP client
     * killed so sends no DHCPRELEASE and runs no deconfiguring script, and on its next start
     * still remembers its lease (RFC 2131 §3.2, INIT-REBOOT). Waits (bounded) for it to go.
     */
    public void kill(Duration timeout) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        awaitExit(timeout);
        Await.until("the children of " + name + " to exit", timeout, () -> children.stream().noneMatch(ProcessHandle::isAlive));
    }

    /** {@link #stop(Duration)} with a five-second grace. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    /** The last lines of the output, for failure messages. */
    public String tail() {
        List<String> lines = output().lines().toList();
        List<String> last = lines.subList(Math.max(0, lines.size() - 40), lines.size());
        return "--- last output of " + name + " (" + log + ") ---\n" + String.join("\n", last);
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + "): " + String.join(" ", command);
    }
}
