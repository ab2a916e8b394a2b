package dev.leasehold.lease;

/**
 * A store's readiness for the status API and the logs.
 *
 * @param writable whether new leases can be stored now
 * @param detail a sentence for operators: the journal path and size, or why writes fail
 */
public record StoreHealth(boolean writable, String detail) {}
