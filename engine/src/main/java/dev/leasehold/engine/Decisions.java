package dev.leasehold.engine;

import dev.leasehold.wire.DhcpMessage;
import java.util.concurrent.CompletableFuture;

/** The already-completed futures that most decisions are. */
final class Decisions {

    private Decisions() {
    }

    static CompletableFuture<Decision> drop(DropReason reason, String detail) {
        return CompletableFuture.completedFuture(new Decision.Drop(reason, detail));
    }

    static CompletableFuture<Decision> respond(DhcpMessage reply) {
        return CompletableFuture.completedFuture(new Decision.Respond(reply));
    }
}
