package dev.leasehold.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leasehold.client.load.LoadReport;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reports as JSON for {@code --json} output; durations in seconds, latencies in microseconds. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String of(LoadReport r) throws JsonProcessingException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clients", r.clients());
        m.put("leases", r.leases());
        m.put("naks", r.naks());
        m.put("drops", r.drops());
        m.put("elapsedSeconds", r.elapsed().toNanos() / 1e9);
        m.put("leasesPerSecond", r.leasesPerSecond());
        m.put("discoverOfferMicros", r.discoverOffer());
        m.put("requestAckMicros", r.requestAck());
        m.put("renewed", r.renewed());
        m.put("renewalsPerSecond", r.renewalsPerSecond());
        m.put("renewAckMicros", r.renewLatency());
        return MAPPER.writeValueAsString(m);
    }
}
