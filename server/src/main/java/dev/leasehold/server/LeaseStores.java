package dev.leasehold.server;

import dev.leasehold.config.LeaseStoreConfig;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.journal.JournalLeaseStore;
import dev.leasehold.lease.journal.JournalOptions;
import dev.leasehold.lease.postgres.PostgresLeaseStore;
import dev.leasehold.lease.postgres.PostgresStoreConfig;
import java.io.IOException;
import java.time.Clock;

/** Opens the lease store that {@code lease-store} in the configuration names (issue 14). */
public final class LeaseStores {

    private LeaseStores() {
    }

    /** The configured store, open; the caller closes it. */
    public static LeaseStore open(ServerConfig config, Clock clock) throws IOException {
        return switch (config.leaseStore()) {
            // Completions on the writer: the engine's and the pipeline's continuations are short and
            // never wait for another write, and each hand-off saved is one wait for a core under load.
            case LeaseStoreConfig.Journal journal -> JournalLeaseStore.open(config.dataDirectory(),
                    JournalOptions.of(config.durability()).withGroupWindow(config.groupWindow())
                            .withCompletions(JournalOptions.Completions.WRITER_THREAD));
            case LeaseStoreConfig.Postgresql postgresql -> PostgresLeaseStore.open(postgres(postgresql), clock);
        };
    }

    /** The store module's settings for the configuration's {@code lease-store: {type: postgresql}}. */
    public static PostgresStoreConfig postgres(LeaseStoreConfig.Postgresql config) {
        return new PostgresStoreConfig(config.url(), config.user(), config.passwordFile(), config.poolSize(),
                config.connectTimeout());
    }
}
