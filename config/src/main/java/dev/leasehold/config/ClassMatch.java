package dev.leasehold.config;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The test that puts a client in a class. Byte-string tests compare raw option bytes; the engine
 * decides how to read them from the packet. Records compare by content, so two loads of one file
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
