package dev.leasehold.ddns;

import dev.leasehold.config.DdnsSettings.ConflictResolution;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Adds and removes one lease's records with RFC 2136 updates, signed with the zone's TSIG key
 * (RFC 8945), in the steps RFC 4703 §5 gives for each {@link ConflictResolution} mode. Blocking:
 * only the updater thread calls it.
 */
final class DnsUpdater {

    private final DnsZones zones;
    private final Duration timeout;
    private final DdnsMetrics metrics;

    DnsUpdater(DnsZones zones, Duration timeout, DdnsMetrics metrics) {
        this.zones = zones;
        this.timeout = timeout;
        this.metrics = metrics;
    }

    /**
     * RFC 4703 §5.3: the A record (and DHCID) first; the PTR only once the name is ours, so a
     * conflict leaves the reverse zone alone too.
     */
    UpdateOutcome add(Registration r, long ttl, ConflictResolution mode) {
        Name fqdn;
        try {
            fqdn = Name.fromString(r.fqdn() + ".");
        } catch (TextParseException e) {
            return new UpdateOutcome.Conflict("'" + r.fqdn() + "' is not a domain name");
        }
        if (r.forward()) {
            Optional<DnsZones.Zone> zone = zones.forwardZoneOf(fqdn);
            if (zone.isEmpty()) {
                metrics.failed("no-zone");
            } else {
                UpdateOutcome forward = addForward(zone.get(), r, fqdn, ttl, mode);
                if (!(forward instanceof UpdateOutcome.Done)) {
                    return forward;
                }
            }
        }
        if (r.reverse()) {
            Name ptr = ReverseMap.fromAddress(r.address().toInetAddress());
            Optional<DnsZones.Zone> zone = zones.reverseZoneOf(ptr);
            if (zone.isEmpty()) {
                metrics.failed("no-zone");
            } else {
                // RFC 4703 §5.4: the PTR RRset is the server's to replace, no prerequisite.
                Update u = new Update(zone.get().name());
                u.delete(ptr, Type.PTR);
                u.add(new PTRRecord(ptr, DClass.IN, ttl, fqdn));
                Result result = send(zone.get(), u, "reverse");
                if (result.rcode() != Rcode.NOERROR) {
                    return result.failure("adding PTR " + ptr + " -> " + fqdn);
                }
            }
        }
        return new UpdateOutcome.Done();
    }

    private UpdateOutcome addForward(DnsZones.Zone zone, Registration r, Name fqdn, long ttl, ConflictResolution mode) {
        ARecord a = new ARecord(fqdn, DClass.IN, ttl, r.address().toInetAddress());
        Update u = new Update(zone.name());
        switch (mode) {
            case NO_CHECK_WITHOUT_DHCID -> {
                u.delete(fqdn, Type.A);
                u.add(a);
                return sendOnce(zone, u, "adding A " + fqdn);
            }
            case NO_CHECK_WITH_DHCID -> {
                u.delete(fqdn, Type.A);
                u.delete(fqdn, Type.DHCID);
                u.add(a);
                u.add(Dhcid.record(r.dhcidIdentifier(), fqdn, ttl));
                return sendOnce(zone, u, "adding A " + fqdn);
            }
            default -> {
                // §5.3.1: the name is new to DNS.
                u.absent(fqdn);
                u.add(a);
                u.add(Dhcid.record(r.dhcidIdentifier(), fqdn, ttl));
                Result first = send(zone, u, "forward");
                if (first.rcode() == Rcode.NOERROR) {
                    return new UpdateOutcome.Done();
                }
                if (first.rcode() != Rcode.YXDOMAIN) {
                    return first.failure("adding A " + fqdn);
                }
                // §5.3.2: the name exists; replace its A records only if its DHCID says it is this client's.
                Update replace = new Update(zone.name());
                if (mode == ConflictResolution.CHECK_EXISTS_WITH_DHCID) {
                    replace.present(fqdn, Type.DHCID);
                } else {
                    replace.present(Dhcid.record(r.dhcidIdentifier(), fqdn, 0));
                }
                replace.delete(fqdn, Type.A);
                replace.add(a);
                Result second = send(zone, replace, "forward");
                if (second.rcode() == Rcode.NOERROR) {
                    return new UpdateOutcome.Done();
                }
                if (second.rcode() == Rcode.NXRRSET) {
                    metrics.conflict();
                    return new UpdateOutcome.Conflict(fqdn + " is registered for another client (its DHCID differs,"
                            + " RFC 4703 §5.3.2)");
                }
                return second.failure("replacing A " + fqdn);
            }
        }
    }

    /** RFC 4703 §5.5: the A record only where the DHCID shows it is ours, then the DHCID when no address is left. */
    UpdateOutcome remove(Registration r, ConflictResolution mode) {
        Name fqdn;
        try {
            fqdn = Name.fromString(r.fqdn() + ".");
        } catch (TextParseException e) {
            return new UpdateOutcome.Done();
        }
        if (r.forward()) {
            Optional<DnsZones.Zone> zone = zones.forwardZoneOf(fqdn);
            if (zone.isPresent()) {
                UpdateOutcome forward = removeForward(zone.get(), r, fqdn, mode);
                if (!(forward instanceof UpdateOutcome.Done)) {
                    return forward;
                }
            }
        }
        if (r.reverse()) {
            Name ptr = ReverseMap.fromAddress(r.address().toInetAddress());
            Optional<DnsZones.Zone> zone = zones.reverseZoneOf(ptr);
            if (zone.isPresent()) {
                Update u = new Update(zone.get().name());
                u.delete(new PTRRecord(ptr, DClass.IN, 0, fqdn)); // only our PTR, should the address have moved on
                Result result = send(zone.get(), u, "reverse");
                if (result.rcode() != Rcode.NOERROR) {
                    return result.failure("removing PTR " + ptr);
                }
            }
        }
        return new UpdateOutcome.Done();
    }

    private UpdateOutcome removeForward(DnsZones.Zone zone, Registration r, Name fqdn, ConflictResolution mode) {
        ARecord a = new ARecord(fqdn, DClass.IN, 0, r.address().toInetAddress());
        Update u = new Update(zone.name());
        boolean check = mode == ConflictResolution.CHECK_WITH_DHCID || mode == ConflictResolution.CHECK_EXISTS_WITH_DHCID;
        if (mode == ConflictResolution.CHECK_EXISTS_WITH_DHCID) {
            u.present(fqdn, Type.DHCID);
        } else if (check) {
            u.present(Dhcid.record(r.dhcidIdentifier(), fqdn, 0));
        }
        u.delete(a);
        Result first = send(zone, u, "forward");
        if (first.rcode() == Rcode.NXRRSET || first.rcode() == Rcode.NXDOMAIN) {
            return new UpdateOutcome.Done(); // not ours (or gone already): leave it to its owner
        }
        if (first.rcode() != Rcode.NOERROR) {
            return first.failure("removing A " + fqdn);
        }
        if (mode == ConflictResolution.NO_CHECK_WITHOUT_DHCID) {
            return new UpdateOutcome.Done();
        }
        // The DHCID goes once no address record is left at the name.
        Update cleanup = new Update(zone.name());
        if (check) {
            cleanup.present(Dhcid.record(r.dhcidIdentifier(), fqdn, 0));
        }
        cleanup.absent(fqdn, Type.A);
        cleanup.absent(fqdn, Type.AAAA);
        cleanup.delete(Dhcid.record(r.dhcidIdentifier(), fqdn, 0));
        Result second = send(zone, cleanup, "forward");
        if (second.rcode() == Rcode.NOERROR || second.rcode() == Rcode.YXRRSET || second.rcode() == Rcode.NXRRSET) {
            return new UpdateOutcome.Done();
        }
        return second.failure("removing DHCID " + fqdn);
    }

    private UpdateOutcome sendOnce(DnsZones.Zone zone, Update u, String what) {
        Result r = send(zone, u, "forward");
        return r.rcode() == Rcode.NOERROR ? new UpdateOutcome.Done() : r.failure(what);
    }

    /** The answer of the first server that answers; rcode -1 when none did. */
    private record Result(int rcode, String reason, String detail) {

        UpdateOutcome failure(String what) {
            return new UpdateOutcome.Failed(reason, what + ": " + detail);
        }
    }

    private Result send(DnsZones.Zone zone, Update update, String direction) {
        Result last = new Result(-1, "no-server", "zone " + zone.name() + " has no server");
        for (InetSocketAddress server : zone.servers()) {
            metrics.sent(direction);
            try {
                SimpleResolver resolver = new SimpleResolver(server);
                resolver.setTimeout(timeout);
                if (zone.key() != null) {
                    resolver.setTSIGKey(zone.key());
                }
                Message response = resolver.send(update);
                int rcode = response.getRcode();
                if (rcode == Rcode.NOERROR && zone.key() != null && !response.isVerified()) {
                    metrics.failed("bad-signature");
                    last = new Result(-1, "bad-signature", server + " answered without a valid TSIG signature");
                    continue;
                }
                if (rcode == Rcode.NOERROR || rcode == Rcode.YXDOMAIN || rcode == Rcode.NXRRSET
                        || rcode == Rcode.YXRRSET || rcode == Rcode.NXDOMAIN) {
                    return new Result(rcode, "", "");
                }
                String reason = Rcode.string(rcode).toLowerCase(Locale.ROOT);
                TSIGRecord tsig = response.getTSIG();
                String tsigError = tsig != null && tsig.getError() != Rcode.NOERROR
                        ? " (TSIG " + Rcode.TSIGstring(tsig.getError()) + ")" : "";
                metrics.failed(reason);
                return new Result(rcode, reason, server + " answered " + Rcode.string(rcode) + tsigError);
            } catch (IOException e) {
                // dnsjava reports a timeout as a plain IOException "Timed out while trying to resolve ..."
                if (e instanceof SocketTimeoutException || String.valueOf(e.getMessage()).startsWith("Timed out")) {
                    metrics.failed("timeout");
                    last = new Result(-1, "timeout", server + " did not answer within " + timeout.toMillis() + " ms");
                    continue;
                }
                metrics.failed("unreachable");
                last = new Result(-1, "unreachable", server + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        return last;
    }
}
