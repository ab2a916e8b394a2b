package dev.leasehold.client.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a short external command (ip, a hook script) with a deadline; injectable so tests can record instead. */
@FunctionalInterface
public interface CommandRunner {

    /** The command's exit status and merged output. */
    record Result(int exitCode, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** Runs {@code command} with {@code input} (may be empty) on its standard input. */
    Result run(List<String> command, Map<String, String> environment, String input, Duration timeout) throws IOException;

    /** Runs {@code command} with nothing on its standard input. */
    default Result run(List<String> command, Map<String, String> environment, Duration timeout) throws IOException {
        return run(command, environment, "", timeout);
    }

    /** Runs commands as processes; input and output go through temporary files so a chatty command never blocks on a pipe. */
    static CommandRunner processes() {
        return (command, environment, input, timeout) -> {
            Path output = Files.createTempFile("leasehold-client", ".out");
            Path stdin = Files.createTempFile("leasehold-client", ".in");
            try {
                Files.writeString(stdin, input, StandardCharsets.UTF_8);
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).redirectInput(stdin.toFile());
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    return new Result(-1, "timed out after " + timeout + ": " + Files.readString(output, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted running " + command, e);
            } finally {
                Files.deleteIfExists(output);
                Files.deleteIfExists(stdin);
            }
        };
    }
}
