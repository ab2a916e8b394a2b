package dev.leasehold.lease.postgres;

import dev.leasehold.testkit.postgres.ThrowawayPostgres;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A test's record of every committed version of every lease row (a trigger into table
 * {@code lease_audit}), and the SQL that checks the safety property over a whole run: no write
 * ever made an address active for a client while another client's lease still held it.
 * Row versions of one address are ordered by the audit sequence, which follows commit order for
 * one address because its writers queue on the row lock.
 */
public final class LeaseAudit {

    private static final String INSTALL = """
            CREATE TABLE lease_audit (id bigserial PRIMARY KEY, address inet NOT NULL, client_id bytea,
                                      state text NOT NULL, expires_ns bigint, written_at_ns bigint, written_by text);
            CREATE FUNCTION lease_audit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    INSERT INTO lease_audit (address, state) VALUES (OLD.address, 'deleted');
                ELSE
                    INSERT INTO lease_audit (address, client_id, state, expires_ns, written_at_ns, written_by)
                    VALUES (NEW.address, NEW.client_id, NEW.state, NEW.expires_ns, NEW.written_at_ns, NEW.written_by);
                END IF;
                RETURN NULL;
            END $$;
            CREATE TRIGGER lease_audit AFTER INSERT OR UPDATE OF client_id, state, expires_ns OR DELETE ON lease
                FOR EACH ROW EXECUTE FUNCTION lease_audit();
            """;

    /** Versions that made an address active for a client while the previous version, another client's, still held it. */
    private static final String DOUBLE_HOLDERS = """
            SELECT host(address) || ' ' || encode(prev_client, 'hex') || ' -> ' || encode(client_id, 'hex')
            FROM (SELECT address, client_id, state, written_at_ns,
                         lag(client_id) OVER w AS prev_client, lag(state) OVER w AS prev_state,
                         lag(expires_ns) OVER w AS prev_expires
                  FROM lease_audit WINDOW w AS (PARTITION BY address ORDER BY id)) v
            WHERE state = 'active' AND prev_client IS NOT NULL AND prev_client <> client_id
              AND prev_state IN ('active', 'declined') AND prev_expires > written_at_ns""";

    private final ThrowawayPostgres server;
    private final String database;

    private LeaseAudit(ThrowawayPostgres server, String database) {
        this.server = server;
        this.database = database;
    }

    /** Installs the audit trigger on {@code database}, whose lease schema must exist. */
    public static LeaseAudit install(ThrowawayPostgres server, String database) throws IOException {
        server.psql(database, INSTALL);
        return new LeaseAudit(server, database);
    }

    /** Every violation of "one address, one client" over the run so far; empty when none. */
    public List<String> doubleHolders() throws IOException {
        return lines(server.psql(database, DOUBLE_HOLDERS));
    }

    /** How many lease row versions were committed. */
    public long versions() throws IOException {
        return Long.parseLong(server.psql(database, "SELECT count(*) FROM lease_audit").strip());
    }

    /**
     * The row of {@code address} as "client-hex state expires-ns hw-address-hex", or empty text when there is none:
     * for checking that an acknowledged lease is in the database.
     */
    public String row(String address) throws IOException {
        return server.psql(database, "SELECT encode(client_id, 'hex') || ' ' || state || ' ' || expires_ns || ' '"
                + " || encode(hw_address, 'hex') FROM lease WHERE address = '" + address + "'").strip();
    }

    static List<String> lines(String text) {
        return Arrays.stream(text.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
