package dev.leasehold.client;

import dev.leasehold.wire.OptionType;

/**
 * The Client FQDN option a client sends (RFC 4702 §2), in canonical wire encoding (E flag, §2.1)
 * with RCODE1 and RCODE2 zero (§2.2: "A client SHOULD set the RCODE1 and RCODE2 fields to 0").
 *
 * @param name   the name: fully qualified when it ends in '.', else a partial name the server completes (§3.1)
 * @param update who should update DNS
 */
public record ClientFqdn(String name, Update update) {

    /** Who updates DNS for the client, by the S and N flags (RFC 4702 §2.1, §3.2). */
    public enum Update {
        /** S=1: the server updates both the A and the PTR record (what Windows clients ask for). */
        SERVER,
        /** S=0: the server updates the PTR record only; the client does the A record itself. */
        CLIENT,
        /** N=1: nobody updates DNS for this client. */
        NONE;

        int flags() {
            return switch (this) {
                case SERVER -> 0x05; // E | S
                case CLIENT -> 0x04; // E
                case NONE -> 0x0C;   // E | N
            };
        }
    }

    public ClientFqdn {
        // Encoding once here turns a bad name into an error at start rather than at the first DISCOVER.
        OptionType.CLIENT_FQDN.parseText(update.flags() + ", 0, 0, " + name);
    }

    /** The option's bytes: flags, RCODE1 0, RCODE2 0, the name in DNS wire format. */
    public byte[] toBytes() {
        return OptionType.CLIENT_FQDN.parseText(update.flags() + ", 0, 0, " + name);
    }
}
