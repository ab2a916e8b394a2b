package dev.leasehold.control;

import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lease history: who held an address at a moment, which addresses a client held in a window,
 * and the raw events. Times are RFC 3339 ({@code 2026-11-27T14:05:00Z}).
 */
final class HistoryApi {

    private static final int MAX_EVENTS = 10_000;
    private static final Duration DEFAULT_WINDOW = Duration.ofDays(7);

    private final Operations ops;

    HistoryApi(Operations ops) {
        this.ops = ops;
    }

    void register(Router r) {
        r.add("GET", "/history/holder", this::holder);
        r.add("GET", "/history/holdings", this::holdings);
        r.add("GET", "/history/events", this::events);
    }

    ApiResponse holder(ApiRequest req) throws IOException {
        req.allowQuery("address", "at").noBody();
        Ipv4Address address = Params.address("address", req.query("address")
                .orElseThrow(() -> ApiException.badRequest("missing-parameter", "query parameter 'address' is required")));
        Instant at = req.query("at").map(v -> Params.time("at", v)).orElse(ops.clock().instant());
        Optional<Holding> h = ops.history().holderAt(address, at);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("address", address.toString());
        body.put("at", at.toString());
        body.put("holder", h.map(LeaseJson::of).orElse(null));
        return ApiResponse.ok(body);
    }

    ApiResponse holdings(ApiRequest req) throws IOException {
        req.allowQuery("address", "mac", "client-id", "circuit-id", "since", "until").noBody();
        HistoryFilter filter = filter(req);
        Instant until = req.query("until").map(v -> Params.time("until", v)).orElse(ops.clock().instant());
        Instant since = req.query("since").map(v -> Params.time("since", v)).orElse(until.minus(DEFAULT_WINDOW));
        checkWindow(since, until);
        List<Holding> found = ops.history().holdings(filter, since, until);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("since", since.toString());
        body.put("until", until.toString());
        body.put("holdings", found.stream().map(LeaseJson::of).toList());
        return ApiResponse.ok(body);
    }

    ApiResponse events(ApiRequest req) throws IOException {
        req.allowQuery("address", "mac", "client-id", "circuit-id", "since", "until", "limit").noBody();
        HistoryFilter filter = filter(req);
        Instant until = req.query("until").map(v -> Params.time("until", v)).orElse(ops.clock().instant().plusSeconds(1));
        Instant since = req.query("since").map(v -> Params.time("since", v)).orElse(until.minus(DEFAULT_WINDOW));
        checkWindow(since, until);
        int limit = req.query("limit").map(v -> Params.integer("limit", v, 1, MAX_EVENTS)).orElse(1_000);
        List<HistoryEvent> found = ops.history().events(filter, since, until, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("since", since.toString());
        body.put("until", until.toString());
        body.put("events", found.stream().map(LeaseJson::of).toList());
        return ApiResponse.ok(body);
    }

    private static HistoryFilter filter(ApiRequest req) {
        Optional<String> address = req.query("address");
        Optional<String> mac = req.query("mac");
        Optional<String> clientId = req.query("client-id");
        Optional<String> circuitId = req.query("circuit-id");
        int given = (address.isPresent() ? 1 : 0) + (mac.isPresent() ? 1 : 0) + (clientId.isPresent() ? 1 : 0)
                + (circuitId.isPresent() ? 1 : 0);
        if (given != 1) {
            throw ApiException.badRequest("bad-parameter", "give exactly one of 'address', 'mac', 'client-id' or 'circuit-id'");
        }
        if (circuitId.isPresent()) {
            return new HistoryFilter.ByCircuitId(circuitIdHex(circuitId.get()));
        }
        if (address.isPresent()) {
            return new HistoryFilter.ByAddress(Params.address("address", address.get()));
        }
        if (mac.isPresent()) {
            return new HistoryFilter.ByMac(Params.mac("mac", mac.get()));
        }
        return new HistoryFilter.ByClientId(Params.clientId("client-id", clientId.get()));
    }

    /** A circuit id as colon hex ({@code 65:74:68:30}), or as its text ({@code eth0}), which is turned into hex. */
    static String circuitIdHex(String value) {
        if (value.isEmpty() || value.length() > 255) {
            throw ApiException.badRequest("bad-parameter", "circuit-id: 1 to 255 characters");
        }
        if (value.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2})*")) {
            return value.toLowerCase(java.util.Locale.ROOT);
        }
        return java.util.HexFormat.ofDelimiter(":").formatHex(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void checkWindow(Instant since, Instant until) {
        if (!since.isBefore(until)) {
            throw ApiException.badRequest("bad-parameter", "'since' (" + since + ") must be before 'until' (" + until + ")");
        }
    }
}
