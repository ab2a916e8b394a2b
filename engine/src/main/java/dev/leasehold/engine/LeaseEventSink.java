package dev.leasehold.engine;

/**
 * Receives every {@link LeaseEvent} the engine emits. Called on the packet path (the receiver
 * thread, or the store's completion thread for ACKs), never while the engine holds its lock:
 * the engine queues events under the lock and delivers them once it has let go. An
 * implementation should still be quick (queue, don't write: its caller's reply waits for it)
 * and should not throw (a throw is logged and ignored).
 */
@FunctionalInterface
public interface LeaseEventSink {

    LeaseEventSink NONE = event -> { };

    void accept(LeaseEvent event);

    /** Both this sink and {@code other}, in that order. */
    default LeaseEventSink andThen(LeaseEventSink other) {
        return event -> {
            accept(event);
            other.accept(event);
        };
    }
}
