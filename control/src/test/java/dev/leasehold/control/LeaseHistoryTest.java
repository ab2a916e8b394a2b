package dev.leasehold.control;

import dev.leasehold.testkit.FakeClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.config.HistoryConfig;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseHistoryTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final Ipv4Address A = Ipv4Address.parse("10.1.2.3");
    private static final Ipv4Address B = Ipv4Address.parse("10.1.2.4");
    private static final String MAC1 = "02:00:00:00:00:01";
    private static final String MAC2 = "02:00:00:00:00:02";

    @TempDir
    Path dir;
    private final FakeClock clock = FakeClock.at(T0.plus(Duration.ofDays(1)));
    private LeaseHistory history;

    @AfterEach
    void close() {
        if (history != null) {
            history.close();
        }
    }

    private LeaseHistory open(HistoryConfig limits) throws Exception {
        history = LeaseHistory.open(dir, limits, clock);
        return history;
    }

    private LeaseHistory open() throws Exception {
        return open(new HistoryConfig(Duration.ofDays(30), 256L << 20));
    }

    private static HistoryEvent event(String type, Ipv4Address address, String mac, Instant at, Instant expires) {
        return new HistoryEvent(at, type, address, "01:" + mac, mac, 7, "192.0.2.1", "70:6f:72:74", "host", expires, "", "");
    }

    private static Instant at(String hhmm) {
        return Instant.parse("2026-11-27T" + hhmm + ":00Z");
    }

    private void recordStory(LeaseHistory h) {
        h.record(event("offer", A, MAC1, at("09:59"), at("10:59")));
        h.record(event("ack", A, MAC1, at("10:00"), at("11:00")));
        h.record(event("ack", A, MAC1, at("10:30"), at("11:30")));
        h.record(event("release", A, MAC1, at("11:10"), at("11:10")));
        h.record(event("ack", B, MAC1, at("11:15"), at("12:15")));
        h.record(event("ack", A, MAC2, at("12:00"), at("13:00")));
        h.record(event("expire", B, MAC1, at("12:20"), at("12:15")));
    }

    @Test
    void holderAtNamesWhoHeldTheAddressAtThatMoment() throws Exception {
        recordStory(open());

        Holding h = history.holderAt(A, at("10:45")).orElseThrow();
        assertThat(h.mac()).isEqualTo(MAC1);
        assertThat(h.from()).isEqualTo(at("10:00"));
        assertThat(h.until()).as("as known at 10:45: the renewed lease's end").isEqualTo(at("11:30"));
        assertThat(history.holderAt(A, at("11:20"))).as("released at 11:10").isEmpty();
        assertThat(history.holderAt(A, at("12:30")).orElseThrow().mac()).isEqualTo(MAC2);
        assertThat(history.holderAt(A, at("09:00"))).isEmpty();
        assertThat(history.holderAt(A, at("13:00"))).as("lease ran out at 13:00").isEmpty();
    }

    @Test
    void holdingsOfAMacInAWindowListEachAddressWithItsSpan() throws Exception {
        recordStory(open());

        List<Holding> held = history.holdings(new HistoryFilter.ByMac(HardwareAddress.parseEthernet(MAC1)),
                at("00:00"), at("23:59"));

        assertThat(held).extracting(h -> h.address().toString(), h -> h.from(), h -> h.until(), Holding::endedBy)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("10.1.2.3", at("10:00"), at("11:10"), "release"),
                        // The lease ran out at 12:15; the reclaimer's EXPIRE at 12:20 only noticed.
                        org.assertj.core.groups.Tuple.tuple("10.1.2.4", at("11:15"), at("12:15"), "lease-time"));
        assertThat(history.holdings(new HistoryFilter.ByMac(HardwareAddress.parseEthernet(MAC1)), at("11:12"), at("11:14")))
                .as("a window between the two holdings").isEmpty();
    }

    @Test
    void offersAreNotKept() throws Exception {
        recordStory(open());

        assertThat(history.events(new HistoryFilter.ByAddress(A), at("00:00"), at("23:59"), 100))
                .extracting(HistoryEvent::type).containsExactly("ack", "ack", "release", "ack");
    }

    @Test
    void eventsSurviveARestartWithEveryField() throws Exception {
        recordStory(open());
        history.close();

        open();
        List<HistoryEvent> events = history.events(new HistoryFilter.ByMac(HardwareAddress.parseEthernet(MAC2)),
                at("00:00"), at("23:59"), 100);

        assertThat(events).containsExactly(event("ack", A, MAC2, at("12:00"), at("13:00")));
        assertThat(history.holderAt(A, at("10:45")).orElseThrow().mac()).isEqualTo(MAC1);
    }

    @Test
    void hostnamesWithQuotesAndBackslashesRoundTrip() throws Exception {
        open();
        HistoryEvent odd = new HistoryEvent(at("10:00"), "ack", A, "01:02", MAC1, 7, "", "", "a\"b\\c", at("11:00"), "",
                "line\nbreak");
        history.record(odd);

        assertThat(history.events(new HistoryFilter.ByAddress(A), at("00:00"), at("23:59"), 10)).containsExactly(odd);
    }

    @Test
    void segmentsPastRetentionArePrunedWhole() throws Exception {
        open(new HistoryConfig(Duration.ofDays(2), 256L << 20));
        for (int day = 0; day < 5; day++) {
            history.record(event("ack", A, MAC1, T0.plus(Duration.ofDays(day)), T0.plus(Duration.ofDays(day)).plusSeconds(600)));
        }
        history.flush();
        assertThat(segments()).hasSize(5);
        history.close();

        // Retention 2 days at day 5: everything before day 3 goes.
        clock.set(T0.plus(Duration.ofDays(5)));
        open(new HistoryConfig(Duration.ofDays(2), 256L << 20));

        List<HistoryEvent> left = history.events(new HistoryFilter.ByAddress(A), T0.minusSeconds(1), T0.plus(Duration.ofDays(9)), 100);
        assertThat(left).extracting(HistoryEvent::time)
                .as("a segment goes once every event in it is older than the retention")
                .containsExactly(T0.plus(Duration.ofDays(3)), T0.plus(Duration.ofDays(4)));
    }

    @Test
    void historyStaysWithinItsSizeBudget() throws Exception {
        long budget = 64 << 10;
        open(new HistoryConfig(Duration.ofDays(30), budget));
        for (int i = 0; i < 2_000; i++) {
            history.record(event("ack", Ipv4Address.ofLong(A.toLong() + (i % 200)), MAC1, at("10:00").plusSeconds(i), at("11:00")));
            if (i % 500 == 0) {
                history.flush();
            }
        }
        history.flush();

        assertThat(history.bytes()).as("budget plus the open segment at most").isLessThanOrEqualTo(2 * budget);
        List<HistoryEvent> kept = history.events(new HistoryFilter.ByMac(HardwareAddress.parseEthernet(MAC1)),
                at("00:00"), at("23:59"), 10_000);
        assertThat(kept).isNotEmpty();
        assertThat(kept.getLast().time()).as("the newest are kept").isEqualTo(at("10:00").plusSeconds(1_999));
    }

    @Test
    void tornLastLineIsSkipped() throws Exception {
        recordStory(open());
        history.close();
        Path newest;
        try (Stream<Path> files = Files.list(dir.resolve(LeaseHistory.DIRECTORY))) {
            newest = files.sorted().reduce((a, b) -> b).orElseThrow();
        }
        Files.writeString(newest, "{\"time\":\"2026-11-27T12:", java.nio.file.StandardOpenOption.APPEND);

        open();
        assertThat(history.holderAt(A, at("12:30")).orElseThrow().mac()).isEqualTo(MAC2);
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve(LeaseHistory.DIRECTORY))) {
            return files.toList();
        }
    }
}
