package dev.leasehold.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where leases are kept: key {@code lease-store} (docs/configuration.md, "Lease store"). The
 * journal in {@code data-directory} is the default and needs nothing installed; PostgreSQL is for
 * several servers sharing one lease database (docs/postgresql.md).
 */
public sealed interface LeaseStoreConfig {

    /** The embedded journal in {@code data-directory}, tuned by {@code durability} and {@code group-window}. */
    record Journal() implements LeaseStoreConfig {}

    /**
     * A PostgreSQL database, possibly shared with other servers.
     *
     * @param url a pgjdbc URL, {@code jdbc:postgresql://host[:port]/database[?parameters]}
     * @param user the database role
     * @param passwordFile the file holding the role's password (first line); empty for none
     * @param poolSize connections for writes and reads (the change feed has one more)
     * @param connectTimeout how long a write waits for a connection before it fails
     */
    record Postgresql(String url, String user, Optional<Path> passwordFile, int poolSize, Duration connectTimeout)
            implements LeaseStoreConfig {
        public Postgresql {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(passwordFile, "passwordFile");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
        }
    }

    /** The default: the journal. */
    LeaseStoreConfig JOURNAL = new Journal();
}
