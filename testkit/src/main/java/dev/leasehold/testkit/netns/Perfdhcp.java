package dev.leasehold.testkit.netns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kea's load generator perfdhcp (Debian kea-admin). For DHCPv4 it always acts as a relay: it sets
 * giaddr to the address of its interface and sends from port 67, so the node it runs on needs an
 * address inside a subnet the server serves, and the server must answer relayed traffic
 * (RFC 2131 §4.1). Without {@code -n}, {@code -p} or {@code -r} it never exits; this runner always
 * gives {@code -n}.
 */
public final class Perfdhcp {

    /**
     * Counters of one run (perfdhcp's "Statistics for: DISCOVER-OFFER" and "REQUEST-ACK" sections).
     *
     * @param discoversSent DHCPDISCOVERs sent
     * @param offersReceived DHCPOFFERs received
     * @param requestsSent DHCPREQUESTs sent
     * @param acksReceived DHCPACKs received
     * @param exitCode     perfdhcp's status (3 when it saw drops)
     * @param output       everything perfdhcp printed
     */
    public record Result(long discoversSent, long offersReceived, long requestsSent, long acksReceived,
                         int exitCode, String output) {

        public long drops() {
            return (discoversSent - offersReceived) + (requestsSent - acksReceived);
        }
    }

    private Perfdhcp() {
    }

    /**
     * Runs {@code clients} full DORA exchanges at {@code rate} per second from the node (which must
     * have an address) to {@code server}, and waits (bounded by {@code timeout}) for the report.
     */
    public static Result run(NetnsLab lab, LabNode node, String server, int clients, int rate, Duration timeout,
                             String... extraOptions) {
        List<String> command = new ArrayList<>(List.of("perfdhcp", "-4", "-l", node.interfaceName(),
                "-r", Integer.toString(rate), "-R", Integer.toString(clients), "-n", Integer.toString(clients),
                "-W", "1000000"));
        command.addAll(List.of(extraOptions));
        command.add(server);
        CommandResult result = lab.exec(node.namespace(), timeout, command, java.util.Map.of());
        String out = result.output();
        return new Result(
                counter(out, "DISCOVER-OFFER", "sent packets"), counter(out, "DISCOVER-OFFER", "received packets"),
                counter(out, "REQUEST-ACK", "sent packets"), counter(out, "REQUEST-ACK", "received packets"),
                result.exitCode(), out);
    }

    private static long counter(String output, String exchange, String name) {
        int section = output.indexOf("Statistics for: " + exchange);
        if (section < 0) {
            throw new LabException("perfdhcp printed no statistics for " + exchange + ":\n" + output);
        }
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + ": (\\d+)").matcher(output);
        if (!m.find(section)) {
            throw new LabException("perfdhcp printed no '" + name + "' for " + exchange + ":\n" + output);
        }
        return Long.parseLong(m.group(1));
    }
}
