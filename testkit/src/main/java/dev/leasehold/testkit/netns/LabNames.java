package dev.leasehold.testkit.netns;

import java.util.HexFormat;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Names of one lab's namespaces, interfaces and MACs. Namespaces are
 * {@code lhlab-<jvm pid>-<suffix>-<role>}: the pid lets a later run tell a crashed run's leftovers
 * (pid gone) from a lab that a parallel run is still using; the random suffix keeps two labs of
 * one JVM apart. Interfaces are {@code lh<suffix><role>}, at most 11 of the 15 characters Linux
 * allows, and unique host-wide because dhcpcd keys its files by interface name.
 *
 * @param ownerPid the pid of the JVM that built the lab
 * @param suffix   six lowercase hex digits
 */
record LabNames(long ownerPid, String suffix) {

    static final String PREFIX = "lhlab-";

    static LabNames fresh(RandomGenerator random) {
        byte[] bytes = new byte[3];
        random.nextBytes(bytes);
        return new LabNames(ProcessHandle.current().pid(), HexFormat.of().formatHex(bytes));
    }

    /** The lab id, the common prefix of its namespaces and its work directory. */
    String id() {
        return PREFIX + ownerPid + "-" + suffix;
    }

    String namespace(String role) {
        return id() + "-" + role;
    }

    String interfaceName(String role) {
        return "lh" + suffix + role;
    }

    /** Locally administered unicast MAC 02:ss:ss:ss:LL:NN (suffix, LAN, node number). */
    String mac(int lan, int node) {
        return "02:%s:%s:%s:%02x:%02x".formatted(suffix.substring(0, 2), suffix.substring(2, 4), suffix.substring(4, 6), lan, node);
    }

    /** Reads back the names of the lab that owns {@code namespace}, if it is a lab namespace at all. */
    static Optional<LabNames> ofNamespace(String namespace) {
        if (!namespace.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = namespace.substring(PREFIX.length()).split("-");
        if (parts.length < 2 || !parts[0].matches("\\d{1,10}") || !parts[1].matches("[0-9a-f]{6}")) {
            return Optional.empty();
        }
        return Optional.of(new LabNames(Long.parseLong(parts[0]), parts[1]));
    }
}
