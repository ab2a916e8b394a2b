package dev.leasehold.config;

/** How a free address is picked from a pool when the client has no reservation, lease or usable request. */
public enum AllocationStrategy {
    /**
     * The next free address after the previous allocation, wrapping round: predictable, like
     * Kea's default iterative allocator, and a just-freed address rests until the cursor returns.
     */
    ITERATIVE,
    /** A random free address: spreads clients, so a freed address is rarely reused soon. */
    RANDOM
}
