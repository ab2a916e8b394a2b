package dev.leasehold.lease.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the shared lease database is and how to reach it.
 *
 * @param url a pgjdbc URL, {@code jdbc:postgresql://host:port/database} (pgjdbc's own parameters,
 *        such as {@code ?sslmode=verify-full}, may follow)
 * @param user the database role
 * @param passwordFile a file whose first line is the role's password; empty for none (trust, or
 *        a password in {@code ~/.pgpass} handled by the URL's parameters)
 * @param poolSize connections for reads and writes; the change feed has one more of its own
 * @param connectTimeout how long a write waits for a connection before it fails: while the database
 *        is down, this is how long a client's request waits for its (missing) answer
 */
public record PostgresStoreConfig(String url, String user, Optional<Path> passwordFile, int poolSize,
                                  Duration connectTimeout) {

    public static final int DEFAULT_POOL_SIZE = 4;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    public PostgresStoreConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(passwordFile, "passwordFile");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("a PostgreSQL URL starts with jdbc:postgresql: " + url);
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("the pool needs at least one connection: " + poolSize);
        }
        if (connectTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connect timeout below 250 ms: " + connectTimeout);
        }
    }

    /** A configuration with the default pool size and connect timeout and no password file. */
    public static PostgresStoreConfig of(String url, String user) {
        return new PostgresStoreConfig(url, user, Optional.empty(), DEFAULT_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT);
    }

    public PostgresStoreConfig withPoolSize(int size) {
        return new PostgresStoreConfig(url, user, passwordFile, size, connectTimeout);
    }

    public PostgresStoreConfig withConnectTimeout(Duration timeout) {
        return new PostgresStoreConfig(url, user, passwordFile, poolSize, timeout);
    }

    /** The password: the first line of {@link #passwordFile()}, read now (so a rotated file is seen at restart). */
    Optional<String> password() throws IOException {
        if (passwordFile.isEmpty()) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(passwordFile.get(), StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            return Optional.of((end < 0 ? text : text.substring(0, end)).strip());
        } catch (IOException e) {
            throw new IOException("cannot read the lease database password file " + passwordFile.get() + ": "
                    + e.getMessage(), e);
        }
    }
}
