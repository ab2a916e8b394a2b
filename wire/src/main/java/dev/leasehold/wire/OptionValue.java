package dev.leasehold.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * An option value decoded by its {@link OptionType} (RFC 2132 §2 and the RFCs named on each
 * record), for code that reads options rather than forwards them: the client configuring its
 * interface, the API showing a lease. The per-packet path works on raw bytes instead.
 * {@link OptionType#decode} answers {@link Opaque} for bytes that do not fit the type, never
 * throws.
 */
public sealed interface OptionValue {

    /** One IPv4 address (e.g. option 1, RFC 2132 §3.3). */
    record Address(Ipv4Address address) implements OptionValue {
    }

    /** A list of IPv4 addresses, possibly empty for option 68 (e.g. option 6, RFC 2132 §3.8). */
    record Addresses(List<Ipv4Address> addresses) implements OptionValue {
        public Addresses {
            addresses = List.copyOf(addresses);
        }
    }

    /** Address pairs, such as destination and router of option 33 (RFC 2132 §5.8). */
    record AddressPairs(List<AddressPair> pairs) implements OptionValue {
        public AddressPairs {
            pairs = List.copyOf(pairs);
        }
    }

    record AddressPair(Ipv4Address first, Ipv4Address second) {
    }

    /** An unsigned 8-, 16- or 32-bit number (e.g. option 51, RFC 2132 §9.2). */
    record Unsigned(long value) implements OptionValue {
    }

    /** A list of unsigned 8- or 16-bit numbers (options 55 and 25). */
    record UnsignedList(List<Integer> values) implements OptionValue {
        public UnsignedList {
            values = List.copyOf(values);
        }
    }

    /** A signed 32-bit number (option 2, RFC 2132 §3.4). */
    record Signed(int value) implements OptionValue {
    }

    /** A boolean option (e.g. option 19, RFC 2132 §4.1). */
    record Flag(boolean value) implements OptionValue {
    }

    /** Text, including the single domain name of option 15 (RFC 2132 §3.17). */
    record Text(String text) implements OptionValue {
    }

    /** The names of a domain search list, option 119 (RFC 3397 §2), compression resolved. */
    record DomainList(List<String> names) implements OptionValue {
        public DomainList {
            names = List.copyOf(names);
        }
    }

    /** Classless static routes, option 121 (RFC 3442 §3). */
    record ClasslessRoutes(List<ClasslessRoute> routes) implements OptionValue {
        public ClasslessRoutes {
            routes = List.copyOf(routes);
        }
    }

    /**
     * One route of option 121; a router of 0.0.0.0 means the destination is on the link
     * (RFC 3442 §3).
     */
    record ClasslessRoute(Ipv4Address destination, int prefixLength, Ipv4Address router) {
        public ClasslessRoute {
            if (prefixLength < 0 || prefixLength > 32) {
                throw new IllegalArgumentException("a prefix length is 0-32: " + prefixLength);
            }
        }
    }

    /** The user class instances of option 77 (RFC 3004 §4), as text. */
    record UserClasses(List<String> classes) implements OptionValue {
        public UserClasses {
            classes = List.copyOf(classes);
        }
    }

    /**
     * Client FQDN, option 81 (RFC 4702 §2): flags (S 0x01, O 0x02, E 0x04, N 0x08), the two
     * deprecated RCODEs, and the name, ending in '.' when fully qualified.
     */
    record ClientFqdn(int flags, int rcode1, int rcode2, String name) implements OptionValue {
        public boolean serverUpdates() {
            return (flags & 0x01) != 0;
        }

        public boolean noUpdates() {
            return (flags & 0x08) != 0;
        }
    }

    /** Option 82 (RFC 3046 §2.0). */
    record RelayAgentInfo(RelayAgentInformation information) implements OptionValue {
    }

    /** Options 124 and 125 (RFC 3925 §3, §4): each vendor's enterprise number and data. */
    record VendorData(List<VendorBlock> vendors) implements OptionValue {
        public VendorData {
            vendors = List.copyOf(vendors);
        }
    }

    /** One vendor's part of option 124 or 125. */
    record VendorBlock(long enterpriseNumber, byte[] data) {
        public VendorBlock {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof VendorBlock(long e, byte[] d) && e == enterpriseNumber && Arrays.equals(d, data);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(enterpriseNumber) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return enterpriseNumber + "=" + HexFormat.ofDelimiter(":").formatHex(data);
        }
    }

    /** A flag option with no value, such as rapid commit (RFC 4039 §4). */
    record Empty() implements OptionValue {
    }

    /** Bytes of type {@link OptionType#BYTES}, or any value that does not fit its type. */
    record Opaque(byte[] bytes) implements OptionValue {
        public Opaque {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Opaque(byte[] b) && Arrays.equals(b, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Opaque[" + HexFormat.ofDelimiter(":").formatHex(bytes) + "]";
        }
    }
}
