package dev.leasehold.client.linux;

import dev.leasehold.client.ClientIdentity;
import dev.leasehold.wire.HardwareAddress;
import java.util.HexFormat;

/**
 * Which option 61 the client sends (RFC 2132 §9.14, RFC 4361 §6.1): {@code mac} (type 1 + MAC,
 * what dhclient sends; the default), {@code duid} (RFC 4361 IAID + DUID-LL, what dhcpcd sends),
 * {@code none}, or explicit colon-separated hex bytes.
 */
public sealed interface ClientIdChoice {

    record Hardware() implements ClientIdChoice {
    }

    record Rfc4361() implements ClientIdChoice {
    }

    record None() implements ClientIdChoice {
    }

    record Explicit(byte[] bytes) implements ClientIdChoice {
        public Explicit {
            bytes = bytes.clone();
        }
    }

    /** The option 61 bytes for {@code hardware}, or null for none. */
    default byte[] bytes(HardwareAddress hardware) {
        return switch (this) {
            case Hardware h -> ClientIdentity.hardwareClientId(hardware);
            case Rfc4361 r -> ClientIdentity.rfc4361ClientId(hardware);
            case None n -> null;
            case Explicit(byte[] b) -> b.clone();
        };
    }

    /** "mac", "duid", "none" or hex such as "01:02:03:04". */
    static ClientIdChoice parse(String text) {
        return switch (text.strip().toLowerCase()) {
            case "mac" -> new Hardware();
            case "duid", "rfc4361" -> new Rfc4361();
            case "none" -> new None();
            default -> {
                try {
                    byte[] bytes = HexFormat.ofDelimiter(":").parseHex(text.strip().toLowerCase());
                    if (bytes.length < 2) {
                        throw new IllegalArgumentException("option 61 needs at least 2 bytes");
                    }
                    yield new Explicit(bytes);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--client-id: 'mac', 'duid', 'none' or colon-separated hex bytes, not '"
                            + text + "' (" + e.getMessage() + ")");
                }
            }
        };
    }
}
