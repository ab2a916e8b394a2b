package dev.leasehold.engine;

/**
 * Receives every {@link LeaseEvent} the engine emits. Called on the packet path, outside the
 * engine's lock: an implementation must be quick and must not throw.
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
