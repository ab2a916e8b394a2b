package dev.leasehold.interop.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.LabRequirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Counts the system calls the Linux transport makes per datagram, with {@code perf stat} on the
 * kernel's syscall tracepoints (no ptrace, so the probe runs at full speed): back-to-back
 * requests must cost one recvmsg each and almost no poll; spaced requests at most a poll, a
 * recvmsg and the recvmsg that finds the socket empty; every reply exactly one sendto.
 */
@Tag("netns")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SyscallsPerPacketTest {

    private static final List<String> EVENTS = List.of("poll", "recvmsg", "sendto");

    private static TwoLanServer lan;

    @BeforeAll
    static void buildLan() throws Exception {
        Optional<String> unmet = LabRequirements.unmetReason("perf");
        Assumptions.assumeTrue(unmet.isEmpty(), () -> unmet.orElseThrow());
        Assumptions.assumeTrue(Files.isExecutable(Path.of(TwoLanServer.PYTHON)), "needs " + TwoLanServer.PYTHON);
        Process check = new ProcessBuilder("perf", "stat", "-e", "syscalls:sys_enter_recvmsg", "--", "true")
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(check.waitFor(20, TimeUnit.SECONDS) && check.exitValue() == 0,
                "perf cannot read the syscall tracepoints here (needs tracefs)");
        lan = TwoLanServer.create();
    }

    @AfterAll
    static void removeLan() {
        if (lan != null) {
            lan.close();
        }
    }

    @Test
    void backToBackRequestsCostOneRecvmsgEachAndRepliesOneSendto() throws Exception {
        Map<String, Long> counts;
        long received;
        try (LabProcess probe = lan.startTransportProbe("probe-burst", lan.server.interfaceName(), "linklayer:192.0.2.77")) {
            counts = countSyscalls(probe, () -> lan.burst(lan.lan1Client, 1_000, 0).requireSuccess());
            received = probe.output().lines().filter(l -> l.startsWith("ARRIVAL")).count();
        }
        System.out.printf("burst: %d received, %s%n", received, perPacket(counts, received));

        assertThat(received).isGreaterThan(500); // the rest may be dropped by a full socket buffer
        assertThat(counts.get("sendto")).isEqualTo(received);
        assertThat((double) counts.get("recvmsg") / received).isLessThan(1.1);
        assertThat((double) counts.get("poll") / received).isLessThan(0.1);
    }

    @Test
    void spacedRequestsCostAtMostThreeReceiveSyscallsEach() throws Exception {
        Map<String, Long> counts;
        long received;
        try (LabProcess probe = lan.startTransportProbe("probe-spaced", lan.server.interfaceName(), "broadcast")) {
            counts = countSyscalls(probe, () -> lan.burst(lan.lan1Client, 200, 0.005).requireSuccess());
            received = probe.output().lines().filter(l -> l.startsWith("ARRIVAL")).count();
        }
        System.out.printf("spaced: %d received, %s%n", received, perPacket(counts, received));

        assertThat(received).isEqualTo(200);
        assertThat(counts.get("sendto")).isEqualTo(200);
        // poll (plus the one-second idle polls), recvmsg, and the recvmsg that meets EAGAIN
        assertThat((double) (counts.get("poll") + counts.get("recvmsg")) / received).isLessThanOrEqualTo(3.1);
    }

    private static Map<String, Long> countSyscalls(LabProcess probe, Runnable traffic) throws IOException, InterruptedException {
        Path out = lan.lab.workDir().resolve("perf-" + probe.name() + ".csv");
        List<String> command = new java.util.ArrayList<>(List.of("perf", "stat", "-x", ",", "-o", out.toString()));
        EVENTS.forEach(e -> command.addAll(List.of("-e", "syscalls:sys_enter_" + e)));
        command.addAll(List.of("-p", Long.toString(probe.pid())));
        Process perf = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(lan.lab.workDir().resolve("perf.log").toFile()).start();
        try {
            Thread.sleep(500); // perf attaches
            traffic.run();
            Thread.sleep(1_000); // the probe drains and answers what is queued
        } finally {
            // SIGINT, as Ctrl-C: perf stat writes its counts and exits (SIGTERM would lose them).
            new ProcessBuilder("kill", "-INT", Long.toString(perf.pid())).start().waitFor(5, TimeUnit.SECONDS);
            if (!perf.waitFor(10, TimeUnit.SECONDS)) {
                perf.destroyForcibly();
            }
        }
        Map<String, Long> counts = new HashMap<>();
        for (String line : Files.readAllLines(out)) {
            String[] fields = line.split(",");
            if (fields.length > 2 && fields[2].startsWith("syscalls:sys_enter_")) {
                counts.put(fields[2].substring("syscalls:sys_enter_".length()), Long.parseLong(fields[0]));
            }
        }
        assertThat(counts).as("perf output " + Files.readString(out)).containsKeys(EVENTS.toArray(String[]::new));
        return counts;
    }

    private static String perPacket(Map<String, Long> counts, long packets) {
        StringBuilder b = new StringBuilder();
        EVENTS.forEach(e -> b.append(e).append('=').append(counts.get(e))
                .append(String.format(" (%.2f/packet) ", (double) counts.get(e) / packets)));
        return b.toString().strip();
    }
}
