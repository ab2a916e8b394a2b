package dev.leasehold.control;

import dev.leasehold.control.PrometheusText.Type;
import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.engine.DropReason;
import dev.leasehold.engine.EngineCounters;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.StoreStatistic;
import dev.leasehold.server.DhcpServer;
import dev.leasehold.server.LeaseholdServer;
import dev.leasehold.wire.MessageType;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/** Renders {@code /metrics}: every figure of the pipeline, engine, store, history and JVM at this moment. */
final class MetricsRenderer {

    private final LeaseholdServer server;
    private final Operations ops;
    private final ConfigApi config;

    MetricsRenderer(LeaseholdServer server, Operations ops, ConfigApi config) {
        this.server = server;
        this.ops = ops;
        this.config = config;
    }

    String render() {
        PrometheusText t = new PrometheusText();
        packets(t);
        subnets(t);
        latency(t);
        store(t);
        events(t);
        new DnsApi(server).metrics(t);
        process(t);
        jvm(t);
        return t.text();
    }

    private void packets(PrometheusText t) {
        DhcpServer pipeline = server.pipeline();
        EngineCounters c = server.engine().counters();
        t.single("leasehold_packets_received_total", Type.COUNTER, "UDP datagrams received by the pipeline.",
                pipeline.receivedCount());
        t.single("leasehold_packets_sent_total", Type.COUNTER, "UDP datagrams sent by the pipeline.", pipeline.sentCount());
        t.single("leasehold_replies_trimmed_total", Type.COUNTER,
                "Replies sent with options left out to fit the client's size limit (RFC 2131 §2, RFC 2132 §9.10).",
                pipeline.trimmedReplyCount());
        t.single("leasehold_replies_oversized_total", Type.COUNTER,
                "Replies not sent: even their essential options exceed the client's size limit.",
                pipeline.oversizedReplyCount());
        OptionalLong overflows = pipeline.receiveQueueOverflows();
        if (overflows.isPresent()) {
            t.single("leasehold_receive_queue_overflows_total", Type.COUNTER,
                    "Requests the kernel dropped before the server read them: a socket's receive queue was full (SO_RXQ_OVFL).",
                    overflows.getAsLong());
        }
        t.single("leasehold_replies_paced_total", Type.COUNTER,
                "Replies to a relay held back so that a burst does not overflow the relay's receive queue.",
                pipeline.pacedReplyCount());
        t.single("leasehold_replies_paced_seconds_total", Type.COUNTER,
                "The time replies to relays were held back, in all.", pipeline.pacedTime().toNanos() / 1e9);
        t.family("leasehold_messages_received_total", Type.COUNTER, "DHCP messages received, by message type (RFC 2132 §9.6).");
        for (MessageType m : MessageType.values()) {
            t.sample("leasehold_messages_received_total", c.receivedCount(m), "type", name(m));
        }
        t.family("leasehold_messages_sent_total", Type.COUNTER, "DHCP replies decided, by message type.");
        for (MessageType m : MessageType.values()) {
            t.sample("leasehold_messages_sent_total", c.repliedCount(m), "type", name(m));
        }
        t.family("leasehold_packets_dropped_total", Type.COUNTER, "Requests answered with nothing, by reason.");
        for (DropReason r : DropReason.values()) {
            t.sample("leasehold_packets_dropped_total", c.droppedCount(r), "reason", name(r));
        }
        t.single("leasehold_offers_outstanding", Type.GAUGE, "Offers made and not yet requested, declined or lapsed.",
                server.engine().outstandingOffers());
        t.single("leasehold_declines_total", Type.COUNTER, "DHCPDECLINEs accepted.", c.declineCount());
        t.single("leasehold_conflicts_total", Type.COUNTER, "Addresses that answered a ping before being offered.",
                c.conflictCount());
        t.single("leasehold_reclaimed_total", Type.COUNTER, "Expired leases returned to their pools.", c.reclaimedCount());
    }

    private void subnets(PrometheusText t) {
        ServerFigures figures = ServerFigures.of(server, ops.clock().instant());
        t.family("leasehold_subnet_addresses", Type.GAUGE, "Dynamic pool addresses of a subnet.");
        t.family("leasehold_subnet_addresses_free", Type.GAUGE, "Pool addresses free to offer now.");
        t.family("leasehold_subnet_addresses_assigned", Type.GAUGE, "Addresses held by an active, unexpired lease.");
        t.family("leasehold_subnet_addresses_declined", Type.GAUGE, "Addresses held out after a decline.");
        t.family("leasehold_subnet_reclaimed_total", Type.COUNTER, "Leases of the subnet expired and reclaimed since start.");
        t.family("leasehold_subnet_addresses_offered", Type.GAUGE, "Addresses held by an outstanding offer.");
        t.family("leasehold_subnet_allocation_failures_total", Type.COUNTER,
                "Clients of the subnet for whom no pool had a free address.");
        Map<Integer, Long> failures = server.engine().counters().allocationFailuresBySubnet();
        for (ServerFigures.SubnetFigures s : figures.subnets()) {
            String id = Integer.toString(s.id());
            t.sample("leasehold_subnet_addresses", s.total(), "subnet", id, "prefix", s.prefix());
            t.sample("leasehold_subnet_addresses_free", s.free(), "subnet", id, "prefix", s.prefix());
            t.sample("leasehold_subnet_addresses_assigned", s.assigned(), "subnet", id, "prefix", s.prefix());
            t.sample("leasehold_subnet_addresses_declined", s.declined(), "subnet", id, "prefix", s.prefix());
            t.sample("leasehold_subnet_reclaimed_total", ops.counts().reclaimed(s.id()), "subnet", id, "prefix", s.prefix());
            t.sample("leasehold_subnet_addresses_offered", s.offered(), "subnet", id, "prefix", s.prefix());
            t.sample("leasehold_subnet_allocation_failures_total", failures.getOrDefault(s.id(), 0L), "subnet", id,
                    "prefix", s.prefix());
        }
        t.family("leasehold_pool_addresses", Type.GAUGE, "Addresses of one dynamic pool.");
        t.family("leasehold_pool_addresses_free", Type.GAUGE, "Addresses of one dynamic pool free to offer now.");
        for (DhcpEngine.PoolUsage p : server.engine().poolUsage()) {
            String id = Integer.toString(p.subnetId());
            String range = p.first() + "-" + p.last();
            t.sample("leasehold_pool_addresses", p.totalAddresses(), "subnet", id, "pool", range);
            t.sample("leasehold_pool_addresses_free", p.freeAddresses(), "subnet", id, "pool", range);
        }
    }

    private void latency(PrometheusText t) {
        t.family("leasehold_reply_latency_seconds", Type.HISTOGRAM,
                "From receiving a request to sending its reply, lease write and fsync included, by reply type.");
        for (Map.Entry<MessageType, Histogram> e : ops.replyTimer().histograms().entrySet()) {
            t.histogram("leasehold_reply_latency_seconds", e.getValue().snapshot(), "type", name(e.getKey()));
        }
    }

    private void store(PrometheusText t) {
        LeaseStore store = server.store();
        t.single("leasehold_store_leases", Type.GAUGE, "Lease records in the store, any state.", store.size());
        t.single("leasehold_store_writable", Type.GAUGE, "1 when the store can write now.", store.health().writable() ? 1 : 0);
        for (StoreStatistic figure : store.statistics()) {
            t.single(figure.name(), figure.counter() ? Type.COUNTER : Type.GAUGE, figure.help(), figure.value());
        }
    }

    private void events(PrometheusText t) {
        t.family("leasehold_lease_events_total", Type.COUNTER, "Lease events logged, by type.");
        for (String type : new String[]{"offer", "ack", "nak", "release", "decline", "expire", "conflict",
                HistoryEvent.ADMIN_SET, HistoryEvent.ADMIN_DELETE}) {
            t.sample("leasehold_lease_events_total", ops.counts().ofType(type), "type", type);
        }
        t.single("leasehold_history_events_dropped_total", Type.COUNTER,
                "Lease events not kept in the history because its queue was full.", ops.history().droppedCount());
        t.single("leasehold_history_bytes", Type.GAUGE, "Size of the lease history files.", ops.history().bytes());
    }

    private void process(PrometheusText t) {
        Instant now = ops.clock().instant();
        t.single("leasehold_uptime_seconds", Type.GAUGE, "Seconds since the server started.",
                Duration.between(ops.startedAt(), now).toMillis() / 1e3);
        t.family("leasehold_build_info", Type.GAUGE, "Always 1; the labels name the version and the configuration in force.");
        ConfigInForce.Snapshot cfg = config.snapshot();
        t.sample("leasehold_build_info", 1, "version", StatusApi.version(), "config_sha256", cfg.sha256());
        t.single("leasehold_config_loaded_timestamp_seconds", Type.GAUGE, "When the configuration in force was loaded.",
                cfg.loadedAt().toEpochMilli() / 1e3);
        t.single("leasehold_config_disk_differs", Type.GAUGE,
                "1 when the configuration file on disk is not the one in force (edited, not reloaded).",
                cfg.diskDiffers() ? 1 : 0);
        t.single("leasehold_api_unauthorized_total", Type.COUNTER, "Control API calls with a wrong token.",
                ops.failedLogins().count());
    }

    private static void jvm(PrometheusText t) {
        var memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        t.family("jvm_memory_used_bytes", Type.GAUGE, "Memory in use, by area.");
        t.sample("jvm_memory_used_bytes", heap.getUsed(), "area", "heap");
        t.sample("jvm_memory_used_bytes", nonHeap.getUsed(), "area", "nonheap");
        t.family("jvm_memory_committed_bytes", Type.GAUGE, "Memory committed by the operating system, by area.");
        t.sample("jvm_memory_committed_bytes", heap.getCommitted(), "area", "heap");
        t.sample("jvm_memory_committed_bytes", nonHeap.getCommitted(), "area", "nonheap");
        t.family("jvm_memory_max_bytes", Type.GAUGE, "Most memory the area may use, -1 when unbounded.");
        t.sample("jvm_memory_max_bytes", heap.getMax(), "area", "heap");
        t.sample("jvm_memory_max_bytes", nonHeap.getMax(), "area", "nonheap");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        t.single("jvm_threads_current", Type.GAUGE, "Live platform threads.", threads.getThreadCount());
        t.single("jvm_threads_daemon", Type.GAUGE, "Live daemon threads.", threads.getDaemonThreadCount());
        t.single("jvm_threads_peak", Type.GAUGE, "Most live threads since start.", threads.getPeakThreadCount());
        t.family("jvm_gc_collections_total", Type.COUNTER, "Garbage collections, by collector.");
        t.family("jvm_gc_collection_seconds_total", Type.COUNTER, "Time spent collecting, by collector.");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            t.sample("jvm_gc_collections_total", Math.max(0, gc.getCollectionCount()), "gc", gc.getName());
            t.sample("jvm_gc_collection_seconds_total", Math.max(0, gc.getCollectionTime()) / 1e3, "gc", gc.getName());
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            t.single("process_cpu_seconds_total", Type.COUNTER, "CPU time of the process.", os.getProcessCpuTime() / 1e9);
            t.single("process_open_fds", Type.GAUGE, "Open file descriptors.", os.getOpenFileDescriptorCount());
            t.single("process_max_fds", Type.GAUGE, "Limit of open file descriptors.", os.getMaxFileDescriptorCount());
        }
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
