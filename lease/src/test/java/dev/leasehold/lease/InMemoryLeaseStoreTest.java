package dev.leasehold.lease;

import org.junit.jupiter.api.Assumptions;

/** The in-memory store passes the contract, except for what needs a disk. */
class InMemoryLeaseStoreTest extends LeaseStoreContract {

    @Override
    protected LeaseStore newStore() {
        return new InMemoryLeaseStore();
    }

    @Override
    protected LeaseStore reopen(LeaseStore closed) {
        Assumptions.abort("the in-memory store keeps nothing across close, by design");
        throw new AssertionError("unreachable");
    }
}
