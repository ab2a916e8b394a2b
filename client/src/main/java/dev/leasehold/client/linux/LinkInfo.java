package dev.leasehold.client.linux;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the client needs to know of its interface before it starts, from {@code ip -o link show
 * dev IFACE} (rtnetlink, so always the process's own network namespace). The JDK's
 * {@link java.net.NetworkInterface} cannot be used for this: on Linux it lists an interface only
 * once it has an address, and a DHCP client's interface typically has none yet.
 *
 * @param index    the ifindex
 * @param mtu      the MTU now
 * @param loopback whether it is a loopback interface
 */
public record LinkInfo(int index, int mtu, boolean loopback) {

    private static final Pattern LINE = Pattern.compile("^(\\d+): [^:]+: <([^>]*)> mtu (\\d+) ");

    /** The link named {@code interfaceName}, or empty when there is none. */
    public static Optional<LinkInfo> of(String interfaceName, CommandRunner commands) throws IOException {
        CommandRunner.Result r = commands.run(List.of("ip", "-o", "link", "show", "dev", interfaceName), Map.of(), Duration.ofSeconds(10));
        return r.succeeded() ? parse(r.output()) : Optional.empty();
    }

    /** The first line of {@code ip -o link show} output, or empty when it does not look like one. */
    static Optional<LinkInfo> parse(String output) {
        Matcher m = LINE.matcher(output);
        if (!m.find()) {
            return Optional.empty();
        }
        boolean loopback = List.of(m.group(2).split(",")).contains("LOOPBACK");
        return Optional.of(new LinkInfo(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(3)), loopback));
    }
}
