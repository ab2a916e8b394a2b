package dev.leasehold.engine;

import dev.leasehold.wire.DhcpMessage;

/** What the engine decided for one request: a reply to send, or no reply and why (DESIGN §4.3). */
public sealed interface Decision {

    /** Send {@code reply}; the server chooses the destination (RFC 2131 §4.1). */
    record Respond(DhcpMessage reply) implements Decision {}

    /** Send nothing. {@code detail} is for the log. */
    record Drop(DropReason reason, String detail) implements Decision {}
}
