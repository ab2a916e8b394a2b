package dev.leasehold.interop.client;

import dev.leasehold.testkit.netns.Await;
import dev.leasehold.testkit.netns.JavaCommand;
import dev.leasehold.testkit.netns.LabException;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.LabRequirements;
import dev.leasehold.testkit.netns.NetnsLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The Leasehold client ({@code dev.leasehold.cli.Main client IFACE}) and the Leasehold server
 * ({@code serve --config F}) as child JVMs in a lab's namespaces, with the client's hook script,
 * resolv.conf and lease file all inside the lab's work directory (never the host's /etc).
 */
final class ClientLab {

    /** Short enough for the suite, long enough for a JVM to start in a namespace on a busy 2-core machine. */
    static final Duration BIND = Duration.ofSeconds(30);

    private ClientLab() {
    }

    static void assumeLab(String... binaries) {
        LabRequirements.unmetReason(binaries).ifPresent(reason -> Assumptions.abort("skipped: " + reason));
    }

    /** One client run: its process and the files it writes. */
    record RunningClient(LabProcess process, LabNode node, Path eventsFile, Path resolvConf, Path leaseFile) {

        /** The hook's lines so far, one per lease change: "REASON new_ip old_ip server". */
        List<String> events() {
            try {
                return Files.exists(eventsFile) ? Files.readAllLines(eventsFile) : List.of();
            } catch (IOException e) {
                throw new LabException("cannot read " + eventsFile, e);
            }
        }

        /** Waits for a hook line starting with {@code reason}, returning it; fails with the client's log. */
        String awaitEvent(String reason, Duration timeout) {
            try {
                return Await.value("hook reason " + reason, timeout,
                        () -> events().stream().filter(l -> l.startsWith(reason + " ")).findFirst());
            } catch (RuntimeException e) {
                throw new AssertionError("no " + reason + " within " + timeout + "; hook events " + events() + "\n"
                        + process.tail(), e);
            }
        }

        String resolv() {
            try {
                return Files.exists(resolvConf) ? Files.readString(resolvConf) : "";
            } catch (IOException e) {
                throw new LabException("cannot read " + resolvConf, e);
            }
        }
    }

    /**
     * Starts {@code leasehold client IFACE} in {@code node}'s namespace with fast test timing
     * (one ARP probe, 200 ms offer window) and {@code extra} options. {@code tag} names the files.
     */
    static RunningClient startClient(NetnsLab lab, LabNode node, String tag, String... extra) {
        List<String> args = new ArrayList<>(List.of(node.interfaceName(), "--lease-file", lab.workDir().resolve(tag + ".lease").toString()));
        args.addAll(List.of(extra));
        return startClients(lab, node, tag, args.toArray(String[]::new));
    }

    /**
     * Starts {@code leasehold client ARGS…} (interfaces among them) in {@code node}'s namespace with
     * the hook, resolv.conf, state and run folders in the lab's work directory.
     */
    static RunningClient startClients(NetnsLab lab, LabNode node, String tag, String... interfacesAndOptions) {
        Path dir = lab.workDir();
        Path events = dir.resolve(tag + "-events.log");
        Path resolv = dir.resolve(tag + "-resolv.conf");
        Path leaseFile = dir.resolve(tag + ".lease");
        Path hook = dir.resolve(tag + "-hook.sh");
        try {
            if (!Files.exists(hook)) {
                Files.writeString(hook, "#!/bin/sh\necho \"$reason $new_ip_address $old_ip_address $new_dhcp_server_identifier"
                        + " $old_dhcp_server_identifier $interface\" >> " + events + "\n");
                Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new LabException("cannot write " + hook, e);
        }
        List<String> args = new ArrayList<>(List.of("client",
                "--hook", hook.toString(), "--resolv-conf", resolv.toString(), "--state-dir", dir.resolve("state").toString(),
                "--run-dir", runDirectory(lab).toString(),
                "--arp-probes", "1", "--arp-interval", "300ms", "--offer-window", "200ms",
                "--hostname", "lab-client", "--vendor-class", "leasehold-interop"));
        args.addAll(List.of(interfacesAndOptions));
        LabProcess process = lab.start("client-" + tag, node.namespace(), JavaCommand.ofCurrentJvm()
                .main("dev.leasehold.cli.Main", args.toArray(String[]::new)));
        return new RunningClient(process, node, events, resolv, leaseFile);
    }

    /** The lab's folder for the clients' control sockets. */
    static Path runDirectory(NetnsLab lab) {
        return lab.workDir().resolve("run");
    }

    /** Runs {@code leasehold client ARGS…} to its end in {@code node}'s namespace (a control request, a failing start). */
    static LabProcess runClientCommand(NetnsLab lab, LabNode node, String tag, String... args) {
        List<String> all = new ArrayList<>(List.of("client"));
        all.addAll(List.of(args));
        all.addAll(List.of("--run-dir", runDirectory(lab).toString()));
        LabProcess process = lab.start("cli-" + tag, node.namespace(), JavaCommand.ofCurrentJvm()
                .main("dev.leasehold.cli.Main", all.toArray(String[]::new)));
        process.awaitExit(BIND);
        return process;
    }

    /**
     * Starts Leasehold's server on the lab's server veth: pool 192.0.2.100-199, router 192.0.2.1,
     * classless routes (121) and MTU 1400 as well, lease {@code lease} s with T1 {@code t1}, T2 {@code t2}.
     */
    static LabProcess startLeaseholdServer(NetnsLab lab, LabNode serverNode, int lease, int t1, int t2) {
        Path dir = lab.workDir().resolve("leasehold-data");
        Path config = lab.workDir().resolve("leasehold.yaml");
        String yaml = """
                listen: {address: 0.0.0.0, port: 67}
                interfaces: [%s]
                data-directory: %s
                durability: none
                authoritative: true
                allocation: iterative
                valid-lifetime: %d
                renew-timer: %d
                rebind-timer: %d
                reclaim-interval: 1s
                options:
                  domain-name-servers: [192.0.2.53, 192.0.2.54]
                  domain-name: lab.example
                  domain-search: [lab.example, example]
                subnets:
                  - id: 1
                    subnet: 192.0.2.0/24
                    pools:
                      - range: 192.0.2.100-192.0.2.199
                    options:
                      routers: 192.0.2.1
                      classless-static-route: "198.51.100.0/24 - 192.0.2.1, 0.0.0.0/0 - 192.0.2.1"
                      interface-mtu: 1400
                """.formatted(serverNode.interfaceName(), dir, lease, t1, t2);
        try {
            Files.writeString(config, yaml);
        } catch (IOException e) {
            throw new LabException("cannot write " + config, e);
        }
        LabProcess server = lab.start("leasehold-server", serverNode.namespace(),
                JavaCommand.ofCurrentJvm().main("dev.leasehold.cli.Main", "serve", "--config", config.toString()));
        server.awaitOutput("serving ", BIND);
        return server;
    }

    static Optional<String> routeTo(NetnsLab lab, LabNode node, String prefix) {
        return lab.ipv4Routes(node).stream().filter(r -> r.startsWith(prefix + " ")).findFirst();
    }

    static String linkShow(NetnsLab lab, LabNode node) {
        return lab.exec(node, Duration.ofSeconds(10), "ip", "link", "show", "dev", node.interfaceName()).output();
    }
}
