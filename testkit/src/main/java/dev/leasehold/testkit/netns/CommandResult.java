package dev.leasehold.testkit.netns;

import java.util.List;

/**
 * What a finished command left behind: its exit code and its merged stdout and stderr.
 *
 * @param command  the command line as run (with the {@code ip netns exec NS} prefix when it ran in a namespace)
 * @param exitCode the process's exit status
 * @param output   stdout and stderr, interleaved as written
 */
public record CommandResult(List<String> command, int exitCode, String output) {

    public CommandResult {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Returns this result, or throws {@link LabException} naming the command, its status and output. */
    public CommandResult requireSuccess() {
        if (!succeeded()) {
            throw new LabException("`" + String.join(" ", command) + "` exited with " + exitCode + ":\n" + output);
        }
        return this;
    }
}
