package dev.leasehold.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the top-level key {@code lease-store} into a {@link LeaseStoreConfig}; documented in
 * docs/configuration.md, "Lease store".
 */
final class LeaseStoreReader {

    static final int DEFAULT_POOL_SIZE = 4;
    static final int MAX_POOL_SIZE = 64;
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(250);
    static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(60);

    /** pgjdbc's form: jdbc:postgresql://host[:port][,host2[:port]...]/database[?parameters]. */
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://[^/?]+/[^/?]+(\\?.*)?");
    private static final List<String> POSTGRESQL_KEYS = List.of("url", "user", "password-file", "pool-size",
            "connect-timeout");

    private LeaseStoreReader() {
    }

    /** The store of the top-level {@code fields}: the journal when the key is absent; empty after reporting problems. */
    static Optional<LeaseStoreConfig> read(Fields fields) {
        if (!fields.has("lease-store")) {
            return Optional.of(LeaseStoreConfig.JOURNAL);
        }
        return fields.optional("lease-store", LeaseStoreReader::store);
    }

    private static Optional<LeaseStoreConfig> store(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        int before = problems.count();
        Optional<String> type = fields.required("type", Scalars.text(text -> {
            if (!text.equals("journal") && !text.equals("postgresql")) {
                throw new IllegalArgumentException("'" + text + "' is not one of journal, postgresql");
            }
            return text;
        }));
        if (type.isEmpty()) {
            return Optional.empty();
        }
        if (type.get().equals("journal")) {
            for (String key : POSTGRESQL_KEYS) {
                fields.entry(key).ifPresent(entry -> problems.report(entry.keyLine(), fields.path(key),
                        "only for type postgresql; the journal is set with data-directory, durability and group-window"));
            }
            fields.rejectUnknown();
            return problems.count() == before ? Optional.of(LeaseStoreConfig.JOURNAL) : Optional.empty();
        }
        Optional<String> url = fields.required("url", Scalars.text(LeaseStoreReader::url));
        Optional<String> user = fields.required("user", Scalars.STRING);
        Optional<Path> passwordFile = fields.optional("password-file", Scalars.text(Path::of));
        int poolSize = fields.optional("pool-size", Scalars.integer(1, MAX_POOL_SIZE)).map(Long::intValue)
                .orElse(DEFAULT_POOL_SIZE);
        Duration connectTimeout = fields.optional("connect-timeout", LeaseStoreReader::connectTimeout)
                .orElse(DEFAULT_CONNECT_TIMEOUT);
        fields.rejectUnknown();
        if (problems.count() != before || url.isEmpty() || user.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LeaseStoreConfig.Postgresql(url.get(), user.get(), passwordFile, poolSize,
                connectTimeout));
    }

    private static String url(String text) {
        if (!URL.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a PostgreSQL JDBC URL; write"
                    + " jdbc:postgresql://host[:port]/database, parameters after '?'");
        }
        if (text.contains("password=")) {
            throw new IllegalArgumentException("keep the password out of the URL (the configuration is shown in logs"
                    + " and status); put it in password-file");
        }
        return text;
    }

    private static Optional<Duration> connectTimeout(RawNode node, String path, Problems problems) {
        return Scalars.DURATION.read(node, path, problems).flatMap(d -> {
            if (d.compareTo(MIN_CONNECT_TIMEOUT) < 0 || d.compareTo(MAX_CONNECT_TIMEOUT) > 0) {
                problems.report(node, path, "must be between " + Scalars.format(MIN_CONNECT_TIMEOUT) + " and "
                        + Scalars.format(MAX_CONNECT_TIMEOUT) + " (while the database is down, each new lease waits"
                        + " this long for its answer)");
                return Optional.empty();
            }
            return Optional.of(d);
        });
    }
}
