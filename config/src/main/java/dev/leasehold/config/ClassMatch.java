package dev.leasehold.config;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The test that puts a client in a class. Byte-string tests compare raw option bytes; the engine
 * decides how to read them from the packet. Tests combine with {@link AllOf}, {@link AnyOf} and
 * {@link Not}. Records compare by content, so two loads of one file
 * give equal configurations.
 */
public sealed interface ClassMatch {

    /** Option 60, vendor class identifier (RFC 2132 §9.13), starts with {@code prefix}. */
    record VendorClassPrefix(byte[] prefix) implements ClassMatch {
        public VendorClassPrefix {
            prefix = prefix.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof VendorClassPrefix(byte[] other) && Arrays.equals(other, prefix);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(prefix);
        }

        @Override
        public String toString() {
            return "VendorClassPrefix[" + hex(prefix) + "]";
        }
    }

    /** Option 77 (RFC 3004) carries a user class equal to {@code userClass}. */
    record UserClass(byte[] userClass) implements ClassMatch {
        public UserClass {
            userClass = userClass.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UserClass(byte[] other) && Arrays.equals(other, userClass);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(userClass);
        }

        @Override
        public String toString() {
            return "UserClass[" + hex(userClass) + "]";
        }
    }

    /** chaddr starts with {@code prefix} (an OUI, say). */
    record MacPrefix(byte[] prefix) implements ClassMatch {
        public MacPrefix {
            prefix = prefix.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MacPrefix(byte[] other) && Arrays.equals(other, prefix);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(prefix);
        }

        @Override
        public String toString() {
            return "MacPrefix[" + hex(prefix) + "]";
        }
    }

    /** Option 82 sub-option 1, circuit id (RFC 3046 §3.1), equals {@code circuitId}. */
    record CircuitId(byte[] circuitId) implements ClassMatch {
        public CircuitId {
            circuitId = circuitId.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CircuitId(byte[] other) && Arrays.equals(other, circuitId);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(circuitId);
        }

        @Override
        public String toString() {
            return "CircuitId[" + hex(circuitId) + "]";
        }
    }

    /** Option 82 sub-option 2, remote id (RFC 3046 §3.2), equals {@code remoteId}. */
    record RemoteId(byte[] remoteId) implements ClassMatch {
        public RemoteId {
            remoteId = remoteId.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RemoteId(byte[] other) && Arrays.equals(other, remoteId);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(remoteId);
        }

        @Override
        public String toString() {
            return "RemoteId[" + hex(remoteId) + "]";
        }
    }

    /** Every one of {@code all} holds. */
    record AllOf(List<ClassMatch> all) implements ClassMatch {
        public AllOf {
            all = List.copyOf(all);
        }
    }

    /** At least one of {@code any} holds. */
    record AnyOf(List<ClassMatch> any) implements ClassMatch {
        public AnyOf {
            any = List.copyOf(any);
        }
    }

    /** {@code negated} does not hold. */
    record Not(ClassMatch negated) implements ClassMatch {}

    /**
     * Option {@code code} of the request passes {@code test}. The value is the whole option as
     * the decoder joined it from all its instances (RFC 3396 §6), sname and file included when
     * overloaded (RFC 2132 §9.3), so a long option matches however the client split it.
     */
    record OptionValue(int code, ValueTest test) implements ClassMatch {
        public OptionValue {
            if (code < 1 || code > 254) {
                throw new IllegalArgumentException("option code must be 1-254: " + code);
            }
        }
    }

    /**
     * Sub-option {@code subOption} of the relay agent information option (82, RFC 3046 §2.0)
     * passes {@code test}; only a relayed request (giaddr set) carries a relay's option 82.
     */
    record RelaySubOption(int subOption, ValueTest test) implements ClassMatch {
        public RelaySubOption {
            if (subOption < 1 || subOption > 255) {
                throw new IllegalArgumentException("sub-option code must be 1-255: " + subOption);
            }
        }
    }

    /** How an option's bytes are tested; {@code value} is empty for the existence tests. */
    record ValueTest(Kind kind, byte[] value) {

        public enum Kind {
            /** the value equals {@code value} byte for byte */
            EQUALS,
            /** the value starts with {@code value} */
            PREFIX,
            /** {@code value} occurs somewhere in the value */
            CONTAINS,
            /** the option is present, whatever its value */
            EXISTS,
            /** the option is absent */
            ABSENT
        }

        public ValueTest {
            value = value.clone();
        }

        /** Whether {@code data}, null when the option is absent, passes. */
        public boolean holdsFor(byte[] data) {
            return switch (kind) {
                case EXISTS -> data != null;
                case ABSENT -> data == null;
                case EQUALS -> data != null && Arrays.equals(data, value);
                case PREFIX -> startsWith(data, value);
                case CONTAINS -> data != null && indexOf(data, value) >= 0;
            };
        }

        private static int indexOf(byte[] data, byte[] part) {
            outer:
            for (int i = 0; i + part.length <= data.length; i++) {
                for (int j = 0; j < part.length; j++) {
                    if (data[i + j] != part[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ValueTest(Kind k, byte[] v) && k == kind && Arrays.equals(v, value);
        }

        @Override
        public int hashCode() {
            return 31 * kind.hashCode() + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return kind + (value.length == 0 ? "" : "[" + hex(value) + "]");
        }
    }

    /** Bytes as colon hex, for logs and test failures; records of arrays would print identities. */
    private static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(":").formatHex(bytes);
    }

    /** Whether {@code data} starts with {@code prefix}. */
    static boolean startsWith(byte[] data, byte[] prefix) {
        return data != null && data.length >= prefix.length
                && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }
}
