package dev.leasehold.control;

import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.engine.DropReason;
import dev.leasehold.engine.EngineCounters;
import dev.leasehold.lease.StoreHealth;
import dev.leasehold.server.LeaseholdServer;
import dev.leasehold.wire.MessageType;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status, statistics and metrics: after Kea's status-get, version-get, statistic-get-all,
 * statistic-reset and shutdown, plus Prometheus.
 */
final class StatusApi {

    private static final Logger audit = LoggerFactory.getLogger("leasehold.control.audit");
    /** How long {@code POST /shutdown} waits before stopping, so its answer reaches the caller. */
    private static final long SHUTDOWN_DELAY_MILLIS = 200;

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
        r.add("GET", "/version", this::version);
        r.add("GET", "/statistics", this::statistics);
        r.add("POST", "/statistics/reset", this::reset);
        r.add("GET", "/metrics", this::metrics);
        r.add("POST", "/shutdown", this::shutdown);
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
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("file", server.configFile().toString());
        c.put("sha256", cfg.sha256());
        c.put("loaded-at", cfg.loadedAt().toString());
        c.put("disk-differs", cfg.diskDiffers());
        c.put("subnets", cfg.config().subnets().size());
        body.put("config", c);
        body.put("durability", cfg.config().durability().name().toLowerCase(Locale.ROOT));
        body.put("store", Map.of("writable", health.writable(), "detail", health.detail(), "leases", server.store().size()));
        body.put("packets", Map.of("received", server.pipeline().receivedCount(), "sent", server.pipeline().sentCount()));
        body.put("offers-outstanding", server.engine().outstandingOffers());
        body.put("reply-latency", latency());
        body.put("caller", Map.of("token", req.caller().name(), "access", req.caller().access().label()));
        return ApiResponse.ok(body);
    }

    /** Reply latency by reply type: count and the 50th, 90th and 99th percentiles (bucket upper bounds, seconds). */
    private Map<String, Object> latency() {
        Map<String, Object> out = new LinkedHashMap<>();
        ops.replyTimer().histograms().forEach((type, h) -> {
            Histogram.Snapshot s = h.snapshot();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", s.count());
            m.put("p50", seconds(s.quantile(0.5)));
            m.put("p90", seconds(s.quantile(0.9)));
            m.put("p99", seconds(s.quantile(0.99)));
            out.put(name(type), m);
        });
        return out;
    }

    private static Object seconds(OptionalDouble q) {
        if (q.isEmpty()) {
            return null;
        }
        return Double.isInfinite(q.getAsDouble()) ? "+Inf" : q.getAsDouble();
    }

    ApiResponse version(ApiRequest req) {
        req.allowQuery().noBody();
        return ApiResponse.ok(Map.of("version", version(), "java", Runtime.version().toString(),
                "os", System.getProperty("os.name") + " " + System.getProperty("os.arch")));
    }

    /**
     * Every counter as one flat map ({@code received.discover}, {@code subnet.7.allocation-failures}, ...),
     * the values {@code statistic-reset} takes as its zero.
     */
    private Map<String, Long> counters() {
        EngineCounters c = server.engine().counters();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("packets-received", server.pipeline().receivedCount());
        m.put("packets-sent", server.pipeline().sentCount());
        m.put("packets-malformed", server.pipeline().malformedCount());
        for (MessageType t : MessageType.values()) {
            m.put("received." + name(t), c.receivedCount(t));
            m.put("sent." + name(t), c.repliedCount(t));
        }
        for (DropReason r : DropReason.values()) {
            m.put("dropped." + name(r), c.droppedCount(r));
        }
        m.put("declines", c.declineCount());
        m.put("conflicts", c.conflictCount());
        m.put("reclaimed", c.reclaimedCount());
        m.put("unauthorized-calls", ops.failedLogins().count());
        ops.counts().byType().forEach((type, n) -> m.put("lease-events." + type, n));
        Map<Integer, Long> failures = c.allocationFailuresBySubnet();
        for (DhcpEngine.SubnetUsage u : server.engine().usage()) {
            m.put("subnet." + u.subnetId() + ".reclaimed", ops.counts().reclaimed(u.subnetId()));
            m.put("subnet." + u.subnetId() + ".allocation-failures", failures.getOrDefault(u.subnetId(), 0L));
        }
        return m;
    }

    ApiResponse statistics(ApiRequest req) {
        req.allowQuery().noBody();
        Map<String, Long> raw = counters();
        StatisticsBaseline base = ops.baseline();
        Map<String, Object> received = new LinkedHashMap<>();
        Map<String, Object> sent = new LinkedHashMap<>();
        Map<String, Object> dropped = new LinkedHashMap<>();
        Map<String, Object> events = new LinkedHashMap<>();
        Map<String, Object> body = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : raw.entrySet()) {
            String key = e.getKey();
            long v = base.since(key, e.getValue());
            if (key.startsWith("received.")) {
                received.put(key.substring(9), v);
            } else if (key.startsWith("sent.")) {
                sent.put(key.substring(5), v);
            } else if (key.startsWith("dropped.")) {
                dropped.put(key.substring(8), v);
            } else if (key.startsWith("lease-events.")) {
                events.put(key.substring(13), v);
            } else if (!key.startsWith("subnet.")) {
                body.put(key, v);
            }
        }
        body.put("received", received);
        body.put("sent", sent);
        body.put("dropped", dropped);
        body.put("lease-events", events);
        body.put("offers-outstanding", server.engine().outstandingOffers());
        List<DhcpEngine.PoolUsage> pools = server.engine().poolUsage();
        body.put("subnets", ServerFigures.of(server, ops.clock().instant()).subnets().stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("subnet", s.prefix());
            m.put("total", s.total());
            m.put("free", s.free());
            m.put("assigned", s.assigned());
            m.put("declined", s.declined());
            m.put("offered", s.offered());
            m.put("reclaimed", base.since("subnet." + s.id() + ".reclaimed", raw.getOrDefault("subnet." + s.id() + ".reclaimed", 0L)));
            m.put("allocation-failures", base.since("subnet." + s.id() + ".allocation-failures",
                    raw.getOrDefault("subnet." + s.id() + ".allocation-failures", 0L)));
            m.put("pools", pools.stream().filter(p -> p.subnetId() == s.id()).map(p -> {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("range", p.first() + "-" + p.last());
                pm.put("total", p.totalAddresses());
                pm.put("free", p.freeAddresses());
                return pm;
            }).toList());
            return m;
        }).toList());
        body.put("limits", LimitsFigures.of(config.snapshot().config(), server.engine().counters()));
        return ApiResponse.ok(body);
    }

    ApiResponse reset(ApiRequest req) {
        req.allowQuery();
        req.json();
        ops.baseline().reset(counters());
        audit.info("token '{}' reset the statistics", req.caller().name());
        return ApiResponse.ok(Map.of("reset", true, "at", ops.clock().instant().toString()));
    }

    ApiResponse metrics(ApiRequest req) {
        req.allowQuery().noBody();
        return ApiResponse.text(PrometheusText.CONTENT_TYPE, metrics.render());
    }

    ApiResponse shutdown(ApiRequest req) {
        req.allowQuery();
        req.json();
        audit.warn("token '{}' asked the server to shut down", req.caller().name());
        ops.shutdownSoon(server, SHUTDOWN_DELAY_MILLIS);
        return ApiResponse.json(202, Map.of("shutting-down", true));
    }

    static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
