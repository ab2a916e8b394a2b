package dev.leasehold.control;

import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;

/** Which history events a query is about: one address, one MAC, one client id or one relay circuit id. */
sealed interface HistoryFilter {

    boolean test(HistoryEvent e);

    /** A substring every matching JSON line contains, to skip the others without parsing. */
    String needle();

    record ByAddress(Ipv4Address address) implements HistoryFilter {
        public boolean test(HistoryEvent e) {
            return e.address().equals(address);
        }

        public String needle() {
            return "\"address\":\"" + address + "\"";
        }
    }

    record ByMac(HardwareAddress mac) implements HistoryFilter {
        public boolean test(HistoryEvent e) {
            return e.mac().equals(mac.toString());
        }

        public String needle() {
            return "\"mac\":\"" + mac + "\"";
        }
    }

    record ByClientId(ClientId clientId) implements HistoryFilter {
        public boolean test(HistoryEvent e) {
            return e.clientId().equals(clientId.toString());
        }

        public String needle() {
            return "\"client-id\":\"" + clientId + "\"";
        }
    }

    /** A relay agent's circuit id (RFC 3046 §3.1), in colon hex as the history keeps it. */
    record ByCircuitId(String circuitId) implements HistoryFilter {
        public boolean test(HistoryEvent e) {
            return e.circuitId().equalsIgnoreCase(circuitId);
        }

        public String needle() {
            return "\"circuit-id\":\"" + circuitId.toLowerCase(java.util.Locale.ROOT) + "\"";
        }
    }
}
