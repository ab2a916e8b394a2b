package dev.leasehold.cli;

import java.time.Duration;

/** "500ms", "2s", "1m" or plain seconds, for command-line options. */
final class Durations {
    private Durations() {
    }

    static Duration parse(String text) {
        String t = text.trim();
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration (e.g. 500ms, 2s, 1m): '" + text + "'");
        }
    }
}
