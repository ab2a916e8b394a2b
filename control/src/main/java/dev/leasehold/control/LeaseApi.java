package dev.leasehold.control;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.leasehold.config.SubnetConfig;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.PutResult;
import dev.leasehold.server.LeaseholdServer;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease calls, after Kea's lease4-get, lease4-get-page, lease4-get-by-hw-address,
 * lease4-get-by-client-id, lease4-get-by-hostname, lease4-add, lease4-update, lease4-del,
 * lease4-wipe and leases-reclaim. Every change goes through the engine's admin methods, so the
 * store and the in-memory pools stay in step, and is logged and kept in the history as
 * {@code admin-set} / {@code admin-delete}.
 */
final class LeaseApi {

    private static final Logger audit = LoggerFactory.getLogger("leasehold.control.audit");
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1_000;
    private static final long MAX_LEASE_SECONDS = 0xFFFFFFFEL;
    private static final Duration WRITE_WAIT = Duration.ofSeconds(10);
    private static final String[] LEASE_FIELDS = {"address", "mac", "client-id", "subnet-id", "state", "valid-lifetime",
            "expires-at", "hostname"};

    private final LeaseholdServer server;
    private final Operations ops;
    private final DnsApi dns;

    LeaseApi(LeaseholdServer server, Operations ops) {
        this.server = server;
        this.ops = ops;
        this.dns = new DnsApi(server);
    }

    void register(Router r) {
        r.add("GET", "/leases", this::list);
        r.add("POST", "/leases", this::add);
        r.add("GET", "/leases/all", this::all);
        r.add("GET", "/leases/{address}", this::get);
        r.add("PUT", "/leases/{address}", this::update);
        r.add("DELETE", "/leases/{address}", this::delete);
        r.add("POST", "/leases/wipe", this::wipe);
        r.add("POST", "/leases/reclaim", this::reclaim);
        dns.register(r);
    }

    private LeaseStore store() {
        return server.store();
    }

    /** One page of leases in address order, after the {@code after} cursor, matching every filter given. */
    ApiResponse list(ApiRequest req) {
        req.allowQuery("subnet-id", "state", "mac", "client-id", "hostname", "limit", "after").noBody();
        int limit = req.query("limit").map(v -> Params.integer("limit", v, 1, MAX_PAGE)).orElse(DEFAULT_PAGE);
        Optional<Ipv4Address> after = req.query("after").map(v -> Params.address("after", v));
        Optional<Integer> subnet = req.query("subnet-id").map(v -> Params.integer("subnet-id", v, 0, Integer.MAX_VALUE));
        Optional<LeaseState> state = req.query("state").map(v -> Params.state("state", v));
        Optional<HardwareAddress> mac = req.query("mac").map(v -> Params.mac("mac", v));
        Optional<ClientId> clientId = req.query("client-id").map(v -> Params.clientId("client-id", v));
        Optional<String> hostname = req.query("hostname");

        Predicate<Lease> keep = l -> after.map(a -> l.address().compareTo(a) > 0).orElse(true)
                && subnet.map(s -> l.subnetId() == s).orElse(true)
                && state.map(s -> l.state() == s).orElse(true)
                && mac.map(m -> l.hardwareAddress().equals(m)).orElse(true)
                && clientId.map(c -> l.clientId().equals(c)).orElse(true)
                && hostname.map(h -> l.hostname().equalsIgnoreCase(h)).orElse(true);
        // The page is the limit+1 lowest matching addresses: a bounded max-heap, one pass.
        PriorityQueue<Lease> lowest = new PriorityQueue<>(Comparator.comparing(Lease::address).reversed());
        java.util.function.Consumer<Lease> offer = l -> {
            if (keep.test(l)) {
                lowest.add(l);
                if (lowest.size() > limit + 1) {
                    lowest.poll();
                }
            }
        };
        if (mac.isPresent()) {
            store().findByHardwareAddress(mac.get()).forEach(offer);
        } else if (clientId.isPresent()) {
            store().findByClient(clientId.get()).forEach(offer);
        } else {
            store().forEach(offer);
        }
        List<Lease> page = new ArrayList<>(lowest);
        page.sort(Comparator.comparing(Lease::address));
        boolean more = page.size() > limit;
        if (more) {
            page = page.subList(0, limit);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("leases", page.stream().map(dns::lease).toList());
        body.put("count", page.size());
        body.put("next", more ? page.getLast().address().toString() : null);
        return ApiResponse.ok(body);
    }

    /**
     * Every lease in one answer without paging (Kea's lease4-get-all), written as the store is
     * walked: {@code {"leases": [...], "count": N}}, or with {@code format=jsonl} one lease per
     * line. The walk is weakly consistent: a lease changed meanwhile may appear as before or after.
     */
    ApiResponse all(ApiRequest req) {
        req.allowQuery("subnet-id", "format").noBody();
        Optional<Integer> subnet = req.query("subnet-id").map(v -> Params.integer("subnet-id", v, 0, Integer.MAX_VALUE));
        boolean lines = switch (req.query("format").orElse("json")) {
            case "json" -> false;
            case "jsonl" -> true;
            default -> throw ApiException.badRequest("bad-parameter", "format: json or jsonl");
        };
        return ApiResponse.streamed(lines ? "application/jsonl" : "application/json", out -> {
            JsonGenerator json = ApiResponse.JSON.getFactory().createGenerator(out);
            json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            // JSON lines: each lease ends its own line, with no separator before the next.
            json.setRootValueSeparator(null);
            long[] count = {0};
            if (!lines) {
                json.writeStartObject();
                json.writeArrayFieldStart("leases");
            }
            IOException[] failed = {null};
            store().forEach(l -> {
                if (failed[0] != null || subnet.map(s -> l.subnetId() != s).orElse(false)) {
                    return;
                }
                try {
                    json.writeObject(LeaseJson.of(l));
                    if (lines) {
                        json.writeRaw('\n');
                    }
                    count[0]++;
                } catch (IOException e) {
                    failed[0] = e;
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
            if (!lines) {
                json.writeEndArray();
                json.writeNumberField("count", count[0]);
                json.writeEndObject();
            }
            json.flush();
        });
    }

    ApiResponse get(ApiRequest req) {
        req.allowQuery().noBody();
        Ipv4Address address = Params.address("address", req.path("address"));
        Lease lease = store().get(address).orElseThrow(() -> ApiException.notFound("no lease for " + address));
        return ApiResponse.ok(dns.lease(lease));
    }

    ApiResponse add(ApiRequest req) {
        req.allowQuery();
        JsonBody body = req.json(LEASE_FIELDS);
        Ipv4Address address = Params.address("address", body.requiredString("address"));
        if (store().get(address).isPresent()) {
            throw new ApiException(409, "exists", "there is already a lease for " + address
                    + "; change it with PUT /leases/" + address + " or delete it first");
        }
        HardwareAddress mac = Params.mac("mac", body.requiredString("mac"));
        Lease lease = build(address, body, null, mac);
        return ApiResponse.json(201, LeaseJson.of(write(lease, req.caller())));
    }

    ApiResponse update(ApiRequest req) {
        req.allowQuery();
        Ipv4Address address = Params.address("address", req.path("address"));
        JsonBody body = req.json(LEASE_FIELDS);
        if (body.has("address") && !Params.address("address", body.requiredString("address")).equals(address)) {
            throw ApiException.badRequest("bad-parameter", "the body's address differs from the path's; a lease"
                    + " cannot move: delete it and add another");
        }
        Lease before = store().get(address).orElseThrow(() -> ApiException.notFound("no lease for " + address
                + "; add one with POST /leases"));
        HardwareAddress mac = body.string("mac").map(v -> Params.mac("mac", v)).orElse(before.hardwareAddress());
        return ApiResponse.ok(LeaseJson.of(write(build(address, body, before, mac), req.caller())));
    }

    /** A lease from the body's fields, the {@code before} record's where the body is silent. */
    private Lease build(Ipv4Address address, JsonBody body, Lease before, HardwareAddress mac) {
        Instant now = ops.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        SubnetConfig subnet = subnetOf(address);
        Optional<Long> subnetId = body.integer("subnet-id", 0, Integer.MAX_VALUE);
        if (subnetId.isPresent() && subnetId.get() != subnet.id()) {
            throw ApiException.badRequest("bad-parameter", address + " is in subnet " + subnet.id() + " ("
                    + subnet.prefix() + "), not " + subnetId.get());
        }
        ClientId clientId = body.string("client-id").map(v -> Params.clientId("client-id", v))
                .orElse(before != null && !body.has("mac") ? before.clientId() : ClientId.of(mac));
        LeaseState state = body.string("state").map(v -> Params.state("state", v))
                .orElse(before != null ? before.state() : LeaseState.ACTIVE);
        String hostname = body.string("hostname").orElse(before != null ? before.hostname() : "");
        checkHostname(hostname);
        if (body.has("valid-lifetime") && body.has("expires-at")) {
            throw ApiException.badRequest("bad-parameter", "give valid-lifetime or expires-at, not both");
        }
        Instant start = before != null ? before.start() : now;
        Instant expires;
        Optional<Long> lifetime = body.integer("valid-lifetime", 1, MAX_LEASE_SECONDS);
        if (lifetime.isPresent()) {
            start = now;
            expires = now.plusSeconds(lifetime.get());
        } else if (body.has("expires-at")) {
            expires = Params.time("expires-at", body.requiredString("expires-at"));
            if (expires.isBefore(start)) {
                start = expires;
            }
        } else if (before != null) {
            expires = before.expiresAt();
        } else {
            expires = now.plus(subnet.timers().validLifetime());
        }
        return new Lease(address, clientId, mac, subnet.id(), state, start, expires, hostname);
    }

    private Lease write(Lease lease, ApiTokens.Caller who) {
        PutResult result = await(server.engine().adminPut(lease));
        return switch (result) {
            case PutResult.Stored stored -> {
                audit.info("token '{}' stored {}", who.name(), lease);
                ops.record(HistoryEvent.adminSet(ops.clock().instant(), lease));
                yield stored.lease();
            }
            case PutResult.Conflict c -> throw new ApiException(409, "conflict", lease.address() + " is held by client "
                    + c.holder().clientId() + " until " + c.holder().expiresAt() + "; delete that lease first",
                    Map.of("holder", LeaseJson.of(c.holder())));
            case PutResult.Failed f -> throw new ApiException(503, "store-unavailable", "the lease store cannot write: "
                    + f.reason());
        };
    }

    ApiResponse delete(ApiRequest req) {
        req.allowQuery().noBody();
        Ipv4Address address = Params.address("address", req.path("address"));
        Lease gone = deleteOne(address, req.caller()).orElseThrow(() -> ApiException.notFound("no lease for " + address));
        return ApiResponse.ok(Map.of("deleted", LeaseJson.of(gone)));
    }

    private Optional<Lease> deleteOne(Ipv4Address address, ApiTokens.Caller who) {
        Optional<Lease> gone = await(server.engine().adminDelete(address));
        gone.ifPresent(l -> {
            audit.info("token '{}' deleted {}", who.name(), l);
            ops.record(HistoryEvent.adminDelete(ops.clock().instant(), l));
        });
        return gone;
    }

    /** Deletes every lease of one subnet (Kea's lease4-wipe), the configured subnet or a removed one. */
    ApiResponse wipe(ApiRequest req) {
        req.allowQuery();
        JsonBody body = req.json("subnet-id");
        int subnetId = body.integer("subnet-id", 0, Integer.MAX_VALUE)
                .orElseThrow(() -> ApiException.badRequest("missing-field", "field 'subnet-id' is required")).intValue();
        List<Ipv4Address> addresses = new ArrayList<>();
        store().forEach(l -> {
            if (l.subnetId() == subnetId) {
                addresses.add(l.address());
            }
        });
        int deleted = 0;
        for (Ipv4Address a : addresses) {
            if (deleteOne(a, req.caller()).isPresent()) {
                deleted++;
            }
        }
        return ApiResponse.ok(Map.of("subnet-id", subnetId, "deleted", deleted));
    }

    /** Returns expired leases to their pools now, at most {@code limit} of them (Kea's leases-reclaim). */
    ApiResponse reclaim(ApiRequest req) {
        req.allowQuery();
        JsonBody body = req.json("limit");
        long limit = body.integer("limit", 1, 10_000_000).orElse(100_000L);
        long total = 0;
        int batch = 1_000;
        while (total < limit) {
            int want = (int) Math.min(batch, limit - total);
            int n = server.engine().reclaimExpired(want);
            total += n;
            if (n < want) {
                break;
            }
        }
        return ApiResponse.ok(Map.of("reclaimed", total));
    }

    /**
     * The configured subnet a lease for {@code address} belongs to; refuses, as the configuration
     * refuses them for pools and reservations, an address outside every subnet and the network
     * and broadcast addresses of a prefix up to /30 (a /31 or /32 has neither, RFC 3021 §2).
     */
    private SubnetConfig subnetOf(Ipv4Address address) {
        for (SubnetConfig s : server.config().subnets()) {
            if (s.prefix().contains(address)) {
                if (s.prefix().length() <= 30 && (address.equals(s.prefix().network()) || address.equals(s.prefix().broadcast()))) {
                    throw ApiException.badRequest("bad-parameter", address + " is the "
                            + (address.equals(s.prefix().network()) ? "network" : "broadcast") + " address of subnet "
                            + s.id() + " (" + s.prefix() + "); no client can hold it");
                }
                return s;
            }
        }
        throw ApiException.badRequest("bad-parameter", address + " is in no configured subnet");
    }

    /** The engine's rule for host names it stores: printable ASCII, at most 255 characters. */
    private static void checkHostname(String hostname) {
        if (hostname.length() > 255 || !hostname.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw ApiException.badRequest("bad-parameter", "hostname: printable ASCII without spaces, at most 255 characters");
        }
    }

    private static <T> T await(CompletableFuture<T> write) {
        try {
            return write.get(WRITE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(503, "store-unavailable", "the lease store did not confirm the write within "
                    + WRITE_WAIT.toSeconds() + " s; it may still happen");
        } catch (ExecutionException e) {
            throw new ApiException(503, "store-unavailable", "the lease store failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "store-unavailable", "interrupted while waiting for the store");
        }
    }
}
