package dev.leasehold.engine;

import dev.leasehold.wire.MessageType;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts of what the engine saw and did, for metrics and the status API. Thread-safe. */
public final class EngineCounters {

    private final Map<MessageType, LongAdder> received = new EnumMap<>(MessageType.class);
    private final Map<MessageType, LongAdder> replied = new EnumMap<>(MessageType.class);
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
    private final LongAdder declines = new LongAdder();
    private final LongAdder reclaimed = new LongAdder();
    private final LongAdder conflicts = new LongAdder();
    private final Map<Integer, LongAdder> allocationFailures = new ConcurrentHashMap<>();

    public EngineCounters() {
        for (MessageType t : MessageType.values()) {
            received.put(t, new LongAdder());
            replied.put(t, new LongAdder());
        }
        for (DropReason r : DropReason.values()) {
            dropped.put(r, new LongAdder());
        }
    }

    void received(MessageType type) {
        received.get(type).increment();
    }

    void replied(MessageType type) {
        replied.get(type).increment();
    }

    public void dropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    void declined() {
        declines.increment();
    }

    void conflicted() {
        conflicts.increment();
    }

    /** A client that may use subnet {@code subnetId} found no free address in its pools. */
    void allocationFailed(int subnetId) {
        allocationFailures.computeIfAbsent(subnetId, k -> new LongAdder()).increment();
    }

    void reclaimed() {
        reclaimed.increment();
    }

    public long receivedCount(MessageType type) {
        return received.get(type).sum();
    }

    public long repliedCount(MessageType type) {
        return replied.get(type).sum();
    }

    public long droppedCount(DropReason reason) {
        return dropped.get(reason).sum();
    }

    public long declineCount() {
        return declines.sum();
    }

    /** Addresses found in use by a ping check before they were offered. */
    public long conflictCount() {
        return conflicts.sum();
    }

    public long reclaimedCount() {
        return reclaimed.sum();
    }

    /** Allocation failures (no free address for a client) by subnet id, since start; subnets with none are absent. */
    public Map<Integer, Long> allocationFailuresBySubnet() {
        Map<Integer, Long> out = new TreeMap<>();
        allocationFailures.forEach((id, n) -> out.put(id, n.sum()));
        return out;
    }
}
