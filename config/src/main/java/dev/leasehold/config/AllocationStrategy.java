package dev.leasehold.config;

/** How a free address is picked from a pool when the client has no reservation, lease or usable request. */
public enum AllocationStrategy {
    /** The lowest free address: compact, predictable, like Kea's default iterative allocator. */
    ITERATIVE,
    /** A random free address: spreads clients, so a freed address is rarely reused soon. */
    RANDOM
}
