package dev.leasehold.cli;

/**
 * What the {@code leasehold} command's exit status means, for scripts and service managers:
 * systemd restarts on 1 ({@code Restart=on-failure}), and a 2 says that restarting is pointless
 * until the command line or the file is fixed.
 */
enum ExitCode {
    OK(0, "done (serve: stopped by SIGTERM or SIGINT)"),
    FAILURE(1, "runtime failure: a port that cannot be bound, an unreadable store, a refused API call"),
    USAGE(2, "usage or configuration error: an unknown option, a bad value, a configuration file that fails validation");

    private final int value;
    private final String meaning;

    ExitCode(int value, String meaning) {
        this.value = value;
        this.meaning = meaning;
    }

    int value() {
        return value;
    }

    String meaning() {
        return meaning;
    }
}
