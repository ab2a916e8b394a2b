package dev.leasehold.control;

import dev.leasehold.lease.Lease;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A lease as the API shows it; keys follow Kea's lease4 commands where they overlap. */
final class LeaseJson {

    private LeaseJson() {
    }

    static Map<String, Object> of(Lease l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", l.address().toString());
        m.put("client-id", l.clientId().toString());
        m.put("mac", l.hardwareAddress().toString());
        m.put("subnet-id", l.subnetId());
        m.put("state", l.state().name().toLowerCase(Locale.ROOT));
        m.put("start", l.start().toString());
        m.put("expires-at", l.expiresAt().toString());
        m.put("hostname", l.hostname());
        return m;
    }

    static Map<String, Object> of(Holding h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", h.address().toString());
        m.put("client-id", h.clientId());
        m.put("mac", h.mac());
        m.put("hostname", h.hostname());
        m.put("subnet-id", h.subnetId());
        m.put("from", h.from().toString());
        m.put("until", h.until().toString());
        m.put("ended-by", h.endedBy());
        return m;
    }

    static Map<String, Object> of(HistoryEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", e.time().toString());
        m.put("type", e.type());
        m.put("address", e.address().toString());
        m.put("client-id", e.clientId());
        m.put("mac", e.mac());
        m.put("subnet-id", e.subnetId());
        m.put("relay", e.relay());
        m.put("circuit-id", e.circuitId());
        m.put("hostname", e.hostname());
        m.put("expires-at", e.expiresAt().toString());
        if (!e.state().isEmpty()) {
            m.put("state", e.state());
        }
        if (!e.detail().isEmpty()) {
            m.put("detail", e.detail());
        }
        return m;
    }
}
