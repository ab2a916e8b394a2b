package dev.leasehold.engine;

/**
 * Receives every {@link LeaseEvent} the engine emits. Called on the packet path, sometimes
 * while the engine holds its lock: an implementation must be quick (queue, don't write), must
 * not call back into the engine, and should not throw (a throw is logged and ignored).
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
