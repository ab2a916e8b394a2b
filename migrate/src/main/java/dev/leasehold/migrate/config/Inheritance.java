package dev.leasehold.migrate.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What a subnet takes from the block around it (Kea's shared network, dhcpd's shared-network
 * and group): every option and timer the subnet does not set itself, as both servers apply them.
 */
final class Inheritance {

    private Inheritance() {
    }

    static List<DraftOption> options(List<DraftOption> own, List<DraftOption> around) {
        List<DraftOption> merged = new ArrayList<>(own);
        around.stream().filter(o -> own.stream().noneMatch(x -> x.code() == o.code())).forEach(merged::add);
        return merged;
    }

    static List<DraftTimer> timers(List<DraftTimer> own, List<DraftTimer> around) {
        List<DraftTimer> merged = new ArrayList<>(own);
        around.stream().filter(t -> own.stream().noneMatch(x -> x.key().equals(t.key()))).forEach(merged::add);
        return merged;
    }
}
