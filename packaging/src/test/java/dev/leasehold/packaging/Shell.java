package dev.leasehold.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end, bounded in time, with its output (stdout and stderr together). */
final class Shell {

    /** The exit status and everything the command printed. */
    record Result(int code, String output) {
        Result expect(int wanted, String what) {
            if (code != wanted) {
                throw new AssertionError(what + ": exit " + code + " (wanted " + wanted + ")\n" + output);
            }
            return this;
        }
    }

    private Shell() {
    }

    static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("leasehold-it", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command) + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static Result run(String... command) throws IOException, InterruptedException {
        return run(Duration.ofSeconds(60), command);
    }

    /** Whether {@code name} is an executable on the PATH. */
    static boolean onPath(String name) {
        return List.of(System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, name)));
    }
}
