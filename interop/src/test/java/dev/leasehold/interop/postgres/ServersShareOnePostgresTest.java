package dev.leasehold.interop.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.postgres.LeaseAudit;
import dev.leasehold.testkit.netns.Await;
import dev.leasehold.testkit.netns.DhcRelay;
import dev.leasehold.testkit.netns.Dhclient;
import dev.leasehold.testkit.netns.Dhcpcd;
import dev.leasehold.testkit.netns.JavaCommand;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.LabRequirements;
import dev.leasehold.testkit.netns.LabSpec;
import dev.leasehold.testkit.netns.LeaseholdServerProcess;
import dev.leasehold.testkit.netns.NetnsLab;
import dev.leasehold.testkit.netns.RealClient;
import dev.leasehold.testkit.netns.Udhcpc;
import dev.leasehold.testkit.postgres.ThrowawayPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14's kill test: three Leasehold servers ({@code leasehold serve}, each its own JVM) on one
 * PostgreSQL, behind ISC dhcrelay forwarding to all three, serving real clients (dhclient, udhcpc,
 * dhcpcd) on the relayed LAN and a relay-path load ({@link RelayLoad}) that obtains and renews
 * with random servers. One server is killed with SIGKILL mid-load. Afterwards, in SQL: no write
 * ever made an address active for a second client (the audit trigger's whole history), every ACK
 * the load saw is a row of the same client that ends no earlier than the ACK said, and the real
 * clients keep their addresses, renewed or rebound by the surviving servers (the server killed is
 * the one that holds dhclient's lease, so at least that client has to move).
 *
 * <p>PostgreSQL runs inside the servers' namespace, on that namespace's loopback.
 */
@Tag("netns")
@Timeout(300)
class ServersShareOnePostgresTest {

    private static final List<String> SERVERS = List.of("192.0.2.11", "192.0.2.12", "192.0.2.13");
    private static final int VALID = 20;
    private static final int T1 = 5;
    private static final int T2 = 12;
    private static final Duration BIND = Duration.ofSeconds(40);

    private NetnsLab lab;
    private ThrowawayPostgres postgres;
    private final List<LabProcess> processes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        processes.reversed().forEach(LabProcess::close);
        if (postgres != null) {
            postgres.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private String config(String address) {
        return """
                listen: {address: %s, port: 67}
                valid-lifetime: %d
                min-lifetime: %d
                max-lifetime: %d
                renew-timer: %d
                rebind-timer: %d
                lease-store:
                  type: postgresql
                  url: 'jdbc:postgresql://127.0.0.1:%d/leases'
                  user: %s
                  connect-timeout: 1s
                options: {domain-name-servers: [192.0.2.53]}
                subnets:
                  - id: 1
                    subnet: 192.0.2.0/24
                    pools: [{range: 192.0.2.100-192.0.2.199}]
                  - id: 2
                    subnet: 198.51.100.0/24
                    pools: [{range: 198.51.100.100-198.51.100.199}]
                    options: {routers: 198.51.100.1}
                """.formatted(address, VALID, VALID, VALID, T1, T2, postgres.port(), ThrowawayPostgres.USER);
    }

    @Test
    void killingOneOfThreeServersMidLoadLosesNoLeaseAndGivesNoAddressTwice() throws Exception {
        LabRequirements.unmetReason("dhcrelay", "dhclient", "udhcpc", "dhcpcd")
                .ifPresent(reason -> Assumptions.abort("skipped: " + reason));
        Assumptions.assumeTrue(ThrowawayPostgres.unavailableReason().isEmpty(),
                () -> "skipped: " + ThrowawayPostgres.unavailableReason().orElse(""));
        lab = NetnsLab.create(LabSpec.singleLan(0).withRelayedLan(3));
        String serverNs = lab.server().namespace();
        for (String address : SERVERS) {
            lab.addAddress(lab.server(), address + "/24");
        }
        postgres = ThrowawayPostgres.startInNamespace(serverNs);
        postgres.createDatabase("leases");
        List<LeaseholdServerProcess> servers = new ArrayList<>();
        LeaseAudit audit = null;
        for (int i = 0; i < SERVERS.size(); i++) {
            LeaseholdServerProcess server = LeaseholdServerProcess.start(lab, serverNs, "leasehold" + (i + 1),
                    config(SERVERS.get(i)));
            servers.add(server);
            processes.add(server.process());
            if (i == 0) {
                // The first server made the schema; the audit records every write from here on.
                audit = LeaseAudit.install(postgres, "leases");
            }
        }
        processes.add(DhcRelay.start(lab, lab.relay().orElseThrow(), SERVERS.get(0), SERVERS.get(1), SERVERS.get(2)));

        Path ackFile = lab.workDir().resolve("load-acks.txt");
        LabProcess load = lab.start("load", serverNs, JavaCommand.ofCurrentJvm().main(RelayLoad.class.getName(),
                String.join(",", SERVERS), "192.0.2.1", "1", "40", "25", ackFile.toString()));
        processes.add(load);

        List<RealClient> kinds = List.of(new Dhclient(), new Udhcpc(), new Dhcpcd());
        Map<LabNode, String> bound = new HashMap<>();
        for (int i = 0; i < kinds.size(); i++) {
            LabNode node = lab.relayedClients().get(i);
            processes.add(kinds.get(i).start(lab, node));
        }
        for (LabNode node : lab.relayedClients()) {
            String cidr = lab.awaitIpv4Address(node, BIND);
            bound.put(node, cidr.substring(0, cidr.indexOf('/')));
        }

        Await.until("the load to see some ACKs", Duration.ofSeconds(30),
                () -> Files.exists(ackFile) && lines(ackFile).size() >= 40);
        // Kill the server that last wrote the first real client's lease, so that client must move.
        LabNode movingClient = lab.relayedClients().getFirst();
        String movingAddress = bound.get(movingClient);
        int victim = serverThatWrote(servers, movingAddress);
        Instant killedAt = Instant.now();
        servers.get(victim).process().kill(Duration.ofSeconds(10));

        assertThat(load.awaitExit(Duration.ofSeconds(90))).as(load.tail()).isZero();
        // Past T2 of every real client's lease: each has renewed or rebound with a survivor.
        Thread.sleep(Duration.ofSeconds(T2 + 5));

        assertThat(audit.doubleHolders())
                .as("writes that gave a held address to a second client").isEmpty();
        Map<String, String[]> lastAck = new HashMap<>();
        for (String line : lines(ackFile)) {
            String[] f = line.split(" ");
            lastAck.put(f[0], f);
        }
        assertThat(lastAck).as("load clients that got a lease").hasSizeGreaterThanOrEqualTo(35);
        for (String[] ack : lastAck.values()) {
            String[] row = audit.row(ack[1]).split(" ");
            assertThat(row).as("row of %s acknowledged to %s", ack[1], ack[0]).hasSize(4);
            assertThat(row[0]).as("holder of %s", ack[1]).isEqualTo(ack[0]);
            assertThat(Long.parseLong(row[2])).as("end of %s", ack[1])
                    .isGreaterThanOrEqualTo(Long.parseLong(ack[2]) - 1_000_000_000L);
        }
        long killedNanos = killedAt.getEpochSecond() * 1_000_000_000L + killedAt.getNano();
        for (Map.Entry<LabNode, String> e : bound.entrySet()) {
            LabNode node = e.getKey();
            assertThat(lab.ipv4Addresses(node)).as("%s still has its address", node.namespace())
                    .contains(e.getValue() + "/24");
            String[] row = audit.row(e.getValue()).split(" ");
            // dhcpcd sends an RFC 4361 client id, not the MAC: the chaddr names the client here.
            assertThat(row[3]).as("hardware address of the holder of %s", e.getValue())
                    .isEqualTo(node.mac().replace(":", "").toLowerCase(java.util.Locale.ROOT));
            assertThat(row[1]).isEqualTo("active");
            assertThat(Long.parseLong(row[2])).as("%s renewed after the kill", e.getValue())
                    .isGreaterThan(killedNanos + Duration.ofSeconds(VALID).toNanos());
        }
        assertThat(serverThatWrote(servers, movingAddress)).as("the server that renewed %s", movingAddress)
                .isNotEqualTo(victim);
        System.out.printf("shared-database lab: %d load ACKs, %d row versions, real clients %s%n",
                lines(ackFile).size(), audit.versions(), bound.values());
    }

    /**
     * Which of {@code servers} last wrote {@code address}'s row: its writer id is host/pid/random,
     * and {@code ip netns exec} execs the server's JVM, so the pid is the lab process's.
     */
    private int serverThatWrote(List<LeaseholdServerProcess> servers, String address) throws java.io.IOException {
        String writer = postgres.psql("leases", "SELECT written_by FROM lease WHERE address = '" + address + "'").strip();
        String[] parts = writer.split("/");
        assertThat(parts).as("writer id of %s: %s", address, writer).hasSize(3);
        for (int i = 0; i < servers.size(); i++) {
            if (Long.toString(servers.get(i).process().pid()).equals(parts[1])) {
                return i;
            }
        }
        throw new AssertionError("no lab server has the pid of writer " + writer);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
