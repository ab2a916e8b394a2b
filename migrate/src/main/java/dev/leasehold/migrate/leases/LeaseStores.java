package dev.leasehold.migrate.leases;

import dev.leasehold.config.ServerConfig;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.journal.JournalLeaseStore;
import dev.leasehold.lease.journal.JournalOptions;
import java.io.IOException;

/**
 * Opens the lease store a configuration names, as the server would, for a tool that writes to it
 * while the server is stopped. Today that is the journal in {@code data-directory}, whose lock
 * file keeps a running server and an import apart ("in use by another process"). The one place
 * to change when the configuration can name another store (PostgreSQL): the importer only sees
 * {@link LeaseStore}.
 */
public final class LeaseStores {

    private LeaseStores() {
    }

    public static LeaseStore open(ServerConfig config) throws IOException {
        return JournalLeaseStore.open(config.dataDirectory(), JournalOptions.of(config.durability()));
    }
}
