package dev.leasehold.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimeArgumentTest {

    private static final Instant NOW = Instant.parse("2026-11-28T09:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static Instant parse(String text) {
        return TimeArgument.parse(text, CLOCK, PARIS);
    }

    @Test
    void rfc3339WithOffsetIsTakenAsWritten() {
        assertThat(parse("2026-11-27T14:05:00Z")).isEqualTo(Instant.parse("2026-11-27T14:05:00Z"));
        assertThat(parse("2026-11-27T14:05:00+01:00")).isEqualTo(Instant.parse("2026-11-27T13:05:00Z"));
    }

    @Test
    void localTimesAreInTheGivenZone() {
        assertThat(parse("2026-11-27 14:05")).isEqualTo(Instant.parse("2026-11-27T13:05:00Z"));
        assertThat(parse("2026-11-27T14:05")).isEqualTo(Instant.parse("2026-11-27T13:05:00Z"));
    }

    @Test
    void yesterdayAndTodayAreLocalDays() {
        assertThat(parse("yesterday 14:05")).isEqualTo(Instant.parse("2026-11-27T13:05:00Z"));
        assertThat(parse("today 9:00")).isEqualTo(Instant.parse("2026-11-28T08:00:00Z"));
    }

    @Test
    void agesCountBackFromNow() {
        assertThat(parse("now")).isEqualTo(NOW);
        assertThat(parse("2h")).isEqualTo(NOW.minusSeconds(7_200));
        assertThat(parse("7d")).isEqualTo(NOW.minusSeconds(7 * 86_400));
        assertThat(parse("1w")).isEqualTo(NOW.minusSeconds(7 * 86_400));
    }

    @Test
    void anythingElseIsRefusedWithTheAcceptedForms() {
        assertThatThrownBy(() -> parse("last tuesday")).hasMessageStartingWith("'last tuesday' is not a time: write");
    }
}
