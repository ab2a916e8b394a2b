package dev.leasehold.engine.lifecycle;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.util.OptionalLong;

/** Reads the parts of a server reply that scenario tests check. */
final class Replies {

    private Replies() {
    }

    static MessageType type(DhcpMessage reply) {
        return reply.messageType().orElseThrow(() -> new AssertionError("reply without option 53: " + reply));
    }

    /** A 32-bit option (51, 58, 59: seconds), or empty when absent. */
    static OptionalLong u32(DhcpMessage reply, int code) {
        byte[] v = reply.options().getUnsafe(code);
        if (v == null) {
            return OptionalLong.empty();
        }
        if (v.length != 4) {
            throw new AssertionError("option " + code + " should have 4 bytes: " + reply);
        }
        return OptionalLong.of(Integer.toUnsignedLong(Ipv4Address.read(v, 0).bits()));
    }

    /** An option holding one address (1, 3, 54 ...). */
    static Ipv4Address address(DhcpMessage reply, int code) {
        byte[] v = reply.options().getUnsafe(code);
        if (v == null || v.length < 4) {
            throw new AssertionError("option " + code + " missing or short in " + reply);
        }
        return Ipv4Address.read(v, 0);
    }
}
