package dev.leasehold.engine;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.OptionCode;
import java.util.Arrays;

/** Reads one sub-option of option 82, relay agent information (RFC 3046 §2.0), from a request. */
final class RelaySubOptions {
    static final int CIRCUIT_ID = 1;      // RFC 3046 §3.1
    static final int REMOTE_ID = 2;       // RFC 3046 §3.2
    static final int LINK_SELECTION = 5;  // RFC 3527
    static final int RELAY_PORT = 19;     // RFC 8357

    private RelaySubOptions() {
    }

    /** The value of sub-option {@code code}, or null when absent or option 82 is malformed. */
    static byte[] find(DhcpMessage request, int code) {
        byte[] option = request.options().getUnsafe(OptionCode.RELAY_AGENT_INFORMATION);
        if (option == null) {
            return null;
        }
        int i = 0;
        while (i + 2 <= option.length) {
            int sub = option[i] & 0xFF;
            int len = option[i + 1] & 0xFF;
            if (i + 2 + len > option.length) {
                return null;
            }
            if (sub == code) {
                return Arrays.copyOfRange(option, i + 2, i + 2 + len);
            }
            i += 2 + len;
        }
        return null;
    }
}
