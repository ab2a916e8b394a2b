-- Leasehold's lease table: one row per address (the LeaseStore's key), shared by every server
-- of a deployment. docs/postgresql.md describes each column and every statement run against it.

CREATE TABLE lease (
    -- The leased IPv4 address: the primary key makes "one record per address" the database's rule.
    address       inet     NOT NULL PRIMARY KEY CHECK (family(address) = 4 AND masklen(address) = 32),
    -- Option 61, or htype + chaddr when the client sends none (RFC 2131 §4.2).
    client_id     bytea    NOT NULL CHECK (length(client_id) > 0),
    hw_type       smallint NOT NULL CHECK (hw_type BETWEEN 0 AND 255),
    hw_address    bytea    NOT NULL CHECK (length(hw_address) <= 16),
    subnet_id     integer  NOT NULL,
    state         text     NOT NULL CHECK (state IN ('active', 'released', 'expired', 'declined')),
    -- Nanoseconds since 1970-01-01 UTC: exact (a timestamptz keeps microseconds) and compared as
    -- plain integers. The view lease_readable shows them as timestamps.
    starts_ns     bigint   NOT NULL,
    expires_ns    bigint   NOT NULL CHECK (expires_ns >= starts_ns),
    hostname      text     NOT NULL,
    -- Who last wrote the row (a server's writer id; empty for other tools) and the time its
    -- clock said then: the "now" the write's conflict check was judged at.
    written_by    text     NOT NULL DEFAULT '',
    written_at_ns bigint   NOT NULL DEFAULT 0,
    -- A reclaimer's claim on an expired active lease: other servers skip it until claim_until_ns,
    -- so each expiry is reclaimed by exactly one server (FOR UPDATE SKIP LOCKED picks the rows).
    claimed_by    text,
    claim_until_ns bigint
);

-- The reclaimers' scan: active leases by end time.
CREATE INDEX lease_active_expiry ON lease (expires_ns) WHERE state = 'active';
-- Operators' and the one-lease-per-client queries: a client's leases.
CREATE INDEX lease_client ON lease (client_id);

-- Every change but a reclaim claim tells the servers listening on leasehold_lease which address
-- changed, who changed it (the session's leasehold.writer setting, empty for psql and other tools)
-- and when (microseconds since 1970, for the change-feed lag): "writer address micros".
CREATE FUNCTION lease_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed inet;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := OLD.address;
    ELSE
        changed := NEW.address;
    END IF;
    PERFORM pg_notify('leasehold_lease',
            coalesce(current_setting('leasehold.writer', true), '') || ' ' || host(changed) || ' '
            || (extract(epoch FROM clock_timestamp()) * 1000000)::bigint);
    RETURN NULL;
END
$$;

CREATE TRIGGER lease_inserted_or_deleted AFTER INSERT OR DELETE ON lease
    FOR EACH ROW EXECUTE FUNCTION lease_notify();

CREATE TRIGGER lease_updated AFTER UPDATE ON lease
    FOR EACH ROW
    WHEN ((OLD.address, OLD.client_id, OLD.hw_type, OLD.hw_address, OLD.subnet_id, OLD.state, OLD.starts_ns,
           OLD.expires_ns, OLD.hostname)
          IS DISTINCT FROM
          (NEW.address, NEW.client_id, NEW.hw_type, NEW.hw_address, NEW.subnet_id, NEW.state, NEW.starts_ns,
           NEW.expires_ns, NEW.hostname))
    EXECUTE FUNCTION lease_notify();

-- For people: the same rows with readable addresses, identifiers and times.
CREATE VIEW lease_readable AS
SELECT host(address) AS address,
       encode(client_id, 'hex') AS client_id,
       hw_type,
       encode(hw_address, 'hex') AS hw_address,
       subnet_id,
       state,
       to_timestamp(starts_ns / 1000000000.0) AS starts_at,
       to_timestamp(expires_ns / 1000000000.0) AS expires_at,
       hostname,
       written_by
FROM lease;
