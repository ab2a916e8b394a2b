package dev.leasehold.lease;

/** What a {@link LeaseStore#put} came to. */
public sealed interface PutResult {

    /** The lease is stored, and durable as far as the store's durability policy promises. */
    record Stored(Lease lease) implements PutResult {}

    /**
     * Refused: another client holds the address ({@link Lease#holdsAddressAt}). The store is
     * the last word on "never one address for two clients", across servers too.
     */
    record Conflict(Lease holder) implements PutResult {}

    /** The store could not write (disk full, database down); nothing changed. */
    record Failed(String reason, Throwable cause) implements PutResult {}
}
