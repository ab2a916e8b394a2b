package dev.leasehold.lease;

/** When a lease write counts as done, so that DHCPACK may leave (DESIGN §3, durable before acknowledged). */
public enum DurabilityPolicy {
    /** One fsync for every write, before its ACK. */
    ALWAYS,
    /** Group commit: one fsync covers every write that arrived meanwhile, each ACK after its fsync. The default. */
    BATCH,
    /** No fsync: the operating system writes back when it likes. A crash can lose acknowledged leases. */
    NONE
}
