package dev.leasehold.lease.postgres;

import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.LeaseStoreContract;
import dev.leasehold.testkit.postgres.ThrowawayPostgres;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PostgreSQL store passes the contract every store passes, against a real PostgreSQL 15. */
@ExtendWith(SharedPostgres.class)
class PostgresLeaseStoreContractTest extends LeaseStoreContract {

    private static final String DATABASE = "contract";
    private static PostgresStoreConfig config;
    private static ThrowawayPostgres server;

    @BeforeAll
    static void database(ThrowawayPostgres shared) throws Exception {
        server = shared;
        config = SharedPostgres.databaseWithSchema(server, DATABASE);
    }

    @Override
    protected LeaseStore newStore() throws Exception {
        SharedPostgres.emptyLeaseTable(config);
        return PostgresLeaseStore.open(config, Clock.systemUTC());
    }

    @Override
    protected LeaseStore reopen(LeaseStore closed) throws Exception {
        return PostgresLeaseStore.open(config, Clock.systemUTC());
    }
}
