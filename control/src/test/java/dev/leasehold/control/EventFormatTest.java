package dev.leasehold.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventFormatTest {

    private static HistoryEvent event(String hostname, String detail) {
        return new HistoryEvent(Instant.parse("2026-11-27T14:05:00Z"), "nak", Ipv4Address.parse("10.1.2.3"), "01:02:00:00:00:00:01",
                "02:00:00:00:00:01", 7, "10.0.0.1", "65:74:68:30", hostname, Instant.parse("2026-11-27T14:05:00Z"), "", detail);
    }

    @Test
    void textLineNamesEveryFieldAndQuotesValuesWithSpaces() {
        assertThat(EventFormat.text(event("pc", "address 10.1.2.3 is leased to another client"))).isEqualTo(
                "nak 10.1.2.3 client-id=01:02:00:00:00:00:01 mac=02:00:00:00:00:01 subnet=7 relay=10.0.0.1"
                        + " circuit-id=65:74:68:30 hostname=pc expires=2026-11-27T14:05:00Z"
                        + " detail=\"address 10.1.2.3 is leased to another client\"");
    }

    @Test
    void emptyFieldsAreADashInText() {
        HistoryEvent e = new HistoryEvent(Instant.EPOCH, "expire", Ipv4Address.parse("10.1.2.3"), "01:02", "", 7, "", "", "",
                Instant.EPOCH, "", "");

        assertThat(EventFormat.text(e)).contains(" mac=- ", " relay=- circuit-id=- hostname=- ");
    }

    @Test
    void jsonLineEscapesQuotesBackslashesAndControlCharacters() {
        assertThat(EventFormat.json(event("a\"b\\c", "x\ty\u0001"))).isEqualTo(
                "{\"time\":\"2026-11-27T14:05:00Z\",\"type\":\"nak\",\"address\":\"10.1.2.3\",\"client-id\":\"01:02:00:00:00:00:01\","
                        + "\"mac\":\"02:00:00:00:00:01\",\"subnet-id\":7,\"relay\":\"10.0.0.1\",\"circuit-id\":\"65:74:68:30\","
                        + "\"hostname\":\"a\\\"b\\\\c\",\"expires-at\":\"2026-11-27T14:05:00Z\",\"detail\":\"x\\ty\\u0001\"}");
    }

    @Test
    void jsonLineReadsBackToTheSameEvent() {
        HistoryEvent e = event("a\"b\\c", "x\ty");

        assertThat(new HistoryCodec().parse(EventFormat.json(e))).contains(e);
    }
}
