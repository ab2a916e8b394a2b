package dev.leasehold.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times as operators type them on the command line: {@code now}; RFC 3339 with an offset
 * ({@code 2026-11-27T14:05:00Z}); a local date and time ({@code 2026-11-27T14:05},
 * {@code "2026-11-27 14:05"}), in the machine's time zone; {@code yesterday 14:05} or
 * {@code today 09:00}; or an age ({@code 2h}, {@code 7d}: that long ago).
 */
final class TimeArgument {

    private static final Pattern AGO = Pattern.compile("(\\d+)(s|m|h|d|w)");
    private static final Pattern DAY_TIME = Pattern.compile("(today|yesterday) (\\d{1,2}:\\d{2}(:\\d{2})?)");

    private TimeArgument() {
    }

    static Instant parse(String text, Clock clock, ZoneId zone) {
        String t = text.strip();
        if (t.equals("now")) {
            return clock.instant();
        }
        Matcher ago = AGO.matcher(t);
        if (ago.matches()) {
            long n = Long.parseLong(ago.group(1));
            Duration d = switch (ago.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return clock.instant().minus(d);
        }
        Matcher dayTime = DAY_TIME.matcher(t);
        if (dayTime.matches()) {
            LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
            LocalDate day = dayTime.group(1).equals("today") ? today : today.minusDays(1);
            return LocalDateTime.of(day, LocalTime.parse(dayTime.group(2).length() == 4 ? "0" + dayTime.group(2)
                    : dayTime.group(2))).atZone(zone).toInstant();
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            // not with an offset; try local
        }
        try {
            return LocalDateTime.parse(t.replace(' ', 'T')).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: write 2026-11-27T14:05:00Z,"
                    + " '2026-11-27 14:05' (local time), 'yesterday 14:05', 'now', or an age such as 2h or 7d");
        }
    }
}
