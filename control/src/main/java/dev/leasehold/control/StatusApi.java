package dev.leasehold.control;

import dev.leasehold.engine.DropReason;
import dev.leasehold.engine.EngineCounters;
import dev.leasehold.lease.StoreHealth;
import dev.leasehold.server.LeaseholdServer;
import dev.leasehold.wire.MessageType;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Status, statistics and metrics: after Kea's status-get and statistic-get-all, plus Prometheus. */
final class StatusApi {

    private final LeaseholdServer server;
    private final Operations ops;
    private final ConfigApi config;
    private final MetricsRenderer metrics;

    StatusApi(LeaseholdServer server, Operations ops, ConfigApi config) {
        this.server = server;
        this.ops = ops;
        this.config = config;
        this.metrics = new MetricsRenderer(server, ops, config);
    }

    void register(Router r) {
        r.add("GET", "/status", this::status);
        r.add("GET", "/statistics", this::statistics);
        r.add("GET", "/metrics", this::metrics);
    }

    static String version() {
        String v = LeaseholdServer.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    ApiResponse status(ApiRequest req) {
        req.allowQuery().noBody();
        Instant now = ops.clock().instant();
        ConfigInForce.Snapshot cfg = config.snapshot();
        StoreHealth health = server.store().health();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", StatusApi.version());
        body.put("started-at", ops.startedAt().toString());
        body.put("uptime-seconds", Duration.between(ops.startedAt(), now).toSeconds());
        body.put("config", Map.of("file", server.configFile().toString(), "sha256", cfg.sha256(),
                "subnets", cfg.config().subnets().size()));
        body.put("store", Map.of("writable", health.writable(), "detail", health.detail(), "leases", server.store().size()));
        body.put("packets", Map.of("received", server.pipeline().receivedCount(), "sent", server.pipeline().sentCount()));
        body.put("offers-outstanding", server.engine().outstandingOffers());
        return ApiResponse.ok(body);
    }

    ApiResponse statistics(ApiRequest req) {
        req.allowQuery().noBody();
        EngineCounters c = server.engine().counters();
        Map<String, Object> received = new LinkedHashMap<>();
        Map<String, Object> sent = new LinkedHashMap<>();
        for (MessageType m : MessageType.values()) {
            received.put(name(m), c.receivedCount(m));
            sent.put(name(m), c.repliedCount(m));
        }
        Map<String, Object> dropped = new LinkedHashMap<>();
        for (DropReason r : DropReason.values()) {
            dropped.put(name(r), c.droppedCount(r));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("packets-received", server.pipeline().receivedCount());
        body.put("packets-sent", server.pipeline().sentCount());
        body.put("packets-malformed", server.pipeline().malformedCount());
        body.put("received", received);
        body.put("sent", sent);
        body.put("dropped", dropped);
        body.put("declines", c.declineCount());
        body.put("conflicts", c.conflictCount());
        body.put("reclaimed", c.reclaimedCount());
        body.put("offers-outstanding", server.engine().outstandingOffers());
        body.put("lease-events", ops.counts().byType());
        body.put("subnets", ServerFigures.of(server, ops.clock().instant()).subnets().stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("subnet", s.prefix());
            m.put("total", s.total());
            m.put("free", s.free());
            m.put("assigned", s.assigned());
            m.put("declined", s.declined());
            m.put("reclaimed", ops.counts().reclaimed(s.id()));
            return m;
        }).toList());
        return ApiResponse.ok(body);
    }

    ApiResponse metrics(ApiRequest req) {
        req.allowQuery().noBody();
        return ApiResponse.text(PrometheusText.CONTENT_TYPE, metrics.render());
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
