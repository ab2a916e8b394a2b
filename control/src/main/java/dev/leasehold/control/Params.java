package dev.leasehold.control;

import dev.leasehold.lease.LeaseState;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parses the values of path and query parameters and body fields; a bad value is a 400 naming it. */
final class Params {

    private Params() {
    }

    static Ipv4Address address(String name, String text) {
        try {
            return Ipv4Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad-parameter", name + ": " + e.getMessage());
        }
    }

    static HardwareAddress mac(String name, String text) {
        try {
            return HardwareAddress.parseEthernet(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad-parameter", name + ": " + e.getMessage());
        }
    }

    static ClientId clientId(String name, String text) {
        try {
            return ClientId.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad-parameter", name + ": " + e.getMessage());
        }
    }

    static LeaseState state(String name, String text) {
        try {
            return LeaseState.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad-parameter", name + ": '" + text
                    + "' is not a lease state (active, released, expired, declined)");
        }
    }

    /** An RFC 3339 time with an offset or Z: {@code 2026-11-27T14:05:00Z}. */
    static Instant time(String name, String text) {
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("bad-parameter", name + ": '" + text
                    + "' is not a time; write RFC 3339 with an offset, e.g. 2026-11-27T14:05:00Z");
        }
    }

    static int integer(String name, String text, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad-parameter", name + ": '" + text + "' is not a whole number");
        }
        if (v < min || v > max) {
            throw ApiException.badRequest("bad-parameter", name + ": must be " + min + "-" + max + ", not " + v);
        }
        return v;
    }
}
