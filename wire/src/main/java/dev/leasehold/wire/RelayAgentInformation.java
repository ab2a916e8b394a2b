package dev.leasehold.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Option 82, relay agent information (RFC 3046 §2.0): the sub-options a relay agent adds to a
 * client's request and the server echoes in its reply (§2.2). Known sub-options have typed
 * accessors; every sub-option, known or not, is kept raw and in order, so the echo is exact.
 *
 * @param subOptions the sub-options in wire order; a code may repeat, as nothing forbids it
 */
public record RelayAgentInformation(List<SubOption> subOptions) {

    /** Agent circuit id (RFC 3046 §3.1). */
    public static final int CIRCUIT_ID = 1;
    /** Agent remote id (RFC 3046 §3.2). */
    public static final int REMOTE_ID = 2;
    /** Link selection: the subnet the client is on when giaddr cannot say it (RFC 3527 §3). */
    public static final int LINK_SELECTION = 5;
    /** Server identifier override: the address the client should talk to (RFC 5107 §4). */
    public static final int SERVER_IDENTIFIER_OVERRIDE = 11;
    /** Relay source port: the relay listens on its packet's source port, not 67 (RFC 8357 §5.1). */
    public static final int RELAY_SOURCE_PORT = 19;

    /** One sub-option: a code 0–255 and up to 255 bytes (RFC 3046 §2.0). */
    public record SubOption(int code, byte[] value) {
        public SubOption {
            if (code < 0 || code > 255) {
                throw new IllegalArgumentException("a sub-option code is one byte: " + code);
            }
            if (value.length > 255) {
                throw new IllegalArgumentException("a sub-option value is at most 255 bytes: " + value.length);
            }
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SubOption(int c, byte[] v) && c == code && Arrays.equals(v, value);
        }

        @Override
        public int hashCode() {
            return 31 * code + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return code + "=" + HexFormat.ofDelimiter(":").formatHex(value);
        }
    }

    public RelayAgentInformation {
        subOptions = List.copyOf(subOptions);
    }

    /**
     * Parses the value of option 82.
     *
     * @throws IllegalArgumentException when a sub-option runs past the end of the value or the
     *     value is empty (RFC 3046 §2.0 requires at least one sub-option)
     */
    public static RelayAgentInformation parse(byte[] option) {
        if (option.length == 0) {
            throw new IllegalArgumentException("option 82 holds no sub-option");
        }
        List<SubOption> out = new ArrayList<>();
        int p = 0;
        while (p < option.length) {
            if (p + 2 > option.length) {
                throw new IllegalArgumentException("sub-option " + (option[p] & 0xFF) + " at byte " + p + " has no length byte");
            }
            int len = option[p + 1] & 0xFF;
            if (p + 2 + len > option.length) {
                throw new IllegalArgumentException("sub-option " + (option[p] & 0xFF) + " at byte " + p + " has length "
                        + len + ", past the end of option 82");
            }
            out.add(new SubOption(option[p] & 0xFF, Arrays.copyOfRange(option, p + 2, p + 2 + len)));
            p += 2 + len;
        }
        return new RelayAgentInformation(out);
    }

    /** The value bytes of option 82, sub-options in order. */
    public byte[] toBytes() {
        int size = 0;
        for (SubOption s : subOptions) {
            size += 2 + s.value.length;
        }
        byte[] out = new byte[size];
        int p = 0;
        for (SubOption s : subOptions) {
            out[p] = (byte) s.code;
            out[p + 1] = (byte) s.value.length;
            System.arraycopy(s.value, 0, out, p + 2, s.value.length);
            p += 2 + s.value.length;
        }
        return out;
    }

    /** The value of the first sub-option with {@code code}, a copy. */
    public Optional<byte[]> get(int code) {
        for (SubOption s : subOptions) {
            if (s.code == code) {
                return Optional.of(s.value());
            }
        }
        return Optional.empty();
    }

    public boolean contains(int code) {
        return subOptions.stream().anyMatch(s -> s.code == code);
    }

    public Optional<byte[]> circuitId() {
        return get(CIRCUIT_ID);
    }

    public Optional<byte[]> remoteId() {
        return get(REMOTE_ID);
    }

    /** Sub-option 5 (RFC 3527 §3), when it holds exactly an IPv4 address. */
    public Optional<Ipv4Address> linkSelection() {
        return address(LINK_SELECTION);
    }

    /** Sub-option 11 (RFC 5107 §4), when it holds exactly an IPv4 address. */
    public Optional<Ipv4Address> serverIdentifierOverride() {
        return address(SERVER_IDENTIFIER_OVERRIDE);
    }

    /**
     * Where the value of sub-option {@code code} starts in the raw option 82 value, or -1 when it
     * is absent or the option is malformed before it; its length is the byte before. For the
     * per-packet path, which needs one sub-option and should not build the whole record.
     */
    static int valueOffset(byte[] option, int code) {
        int p = 0;
        while (p + 2 <= option.length) {
            int len = option[p + 1] & 0xFF;
            if (p + 2 + len > option.length) {
                return -1;
            }
            if ((option[p] & 0xFF) == code) {
                return p + 2;
            }
            p += 2 + len;
        }
        return -1;
    }

    /** Whether sub-option 19 is present (RFC 8357 §5.1): reply to the relay's source port. */
    public boolean relaySourcePort() {
        return contains(RELAY_SOURCE_PORT);
    }

    private Optional<Ipv4Address> address(int code) {
        return get(code).filter(v -> v.length == 4).map(v -> Ipv4Address.read(v, 0));
    }

    /** Builds the information a relay adds, sub-options in the order they are added. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<SubOption> subOptions = new ArrayList<>();

        private Builder() {
        }

        public Builder add(int code, byte[] value) {
            subOptions.add(new SubOption(code, value));
            return this;
        }

        public Builder circuitId(byte[] value) {
            return add(CIRCUIT_ID, value);
        }

        public Builder remoteId(byte[] value) {
            return add(REMOTE_ID, value);
        }

        public Builder linkSelection(Ipv4Address subnet) {
            return add(LINK_SELECTION, subnet.toBytes());
        }

        public Builder serverIdentifierOverride(Ipv4Address server) {
            return add(SERVER_IDENTIFIER_OVERRIDE, server.toBytes());
        }

        /**
         * Sub-option 19 as a first-hop relay sends it (RFC 8357 §5.1): two bytes, the downstream
         * source port, zero because no relay stands below this one. Its presence asks the server
         * to answer to the relay's own UDP source port.
         */
        public Builder relaySourcePort() {
            return add(RELAY_SOURCE_PORT, new byte[2]);
        }

        public RelayAgentInformation build() {
            return new RelayAgentInformation(subOptions);
        }
    }
}
