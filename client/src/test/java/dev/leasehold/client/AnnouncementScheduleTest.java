package dev.leasehold.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.Ipv4Address;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AnnouncementScheduleTest {

    static final Ipv4Address ADDRESS = Ipv4Address.parse("192.0.2.100");
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void twoAnnouncementsTwoSecondsApartAsRfc5227Section23Says() {
        AnnouncementSchedule s = AnnouncementSchedule.rfc5227();
        s.start(ADDRESS, T0);
        assertThat(s.due(T0)).contains(ADDRESS);
        assertThat(s.due(T0)).isEmpty(); // never back to back
        assertThat(s.nextAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(s.due(T0.plusMillis(1999))).isEmpty();
        assertThat(s.due(T0.plusSeconds(2))).contains(ADDRESS);
        assertThat(s.due(T0.plusSeconds(10))).isEmpty();
        assertThat(s.nextAt()).isEqualTo(Instant.MAX);
    }

    @Test
    void aLateFirstSendPushesTheSecondBack() {
        AnnouncementSchedule s = AnnouncementSchedule.rfc5227();
        s.start(ADDRESS, T0);
        assertThat(s.due(T0.plusMillis(700))).contains(ADDRESS);
        assertThat(s.nextAt()).isEqualTo(T0.plusMillis(2700));
    }

    @Test
    void cancelledWhenTheAddressIsGivenUp() {
        AnnouncementSchedule s = AnnouncementSchedule.rfc5227();
        s.start(ADDRESS, T0);
        s.due(T0);
        s.cancel();
        assertThat(s.due(T0.plus(Duration.ofSeconds(5)))).isEmpty();
    }
}
