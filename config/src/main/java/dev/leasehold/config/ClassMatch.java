package dev.leasehold.config;

import java.util.Arrays;
import java.util.List;

/**
 * The test that puts a client in a class. Byte-string tests compare raw option bytes;
 * {@link #test} is given only what it needs, so the engine decides how to read the packet.
 */
public sealed interface ClassMatch {

    /** Option 60, vendor class identifier (RFC 2132 §9.13), starts with {@code prefix}. */
    record VendorClassPrefix(byte[] prefix) implements ClassMatch {}

    /** Option 77 (RFC 3004) carries a user class equal to {@code userClass}. */
    record UserClass(byte[] userClass) implements ClassMatch {}

    /** chaddr starts with {@code prefix} (an OUI, say). */
    record MacPrefix(byte[] prefix) implements ClassMatch {}

    /** Option 82 sub-option 1, circuit id (RFC 3046 §3.1), equals {@code circuitId}. */
    record CircuitId(byte[] circuitId) implements ClassMatch {}

    /** Option 82 sub-option 2, remote id (RFC 3046 §3.2), equals {@code remoteId}. */
    record RemoteId(byte[] remoteId) implements ClassMatch {}

    /** Every one of {@code all} holds. */
    record AllOf(List<ClassMatch> all) implements ClassMatch {
        public AllOf {
            all = List.copyOf(all);
        }
    }

    /** Whether {@code data} starts with {@code prefix}. */
    static boolean startsWith(byte[] data, byte[] prefix) {
        return data != null && data.length >= prefix.length
                && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }
}
