package dev.leasehold.interop.postgres;

import dev.leasehold.client.Binding;
import dev.leasehold.client.ClientMessages;
import dev.leasehold.client.RelayPathClient;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Load for the shared-database lab, run in the servers' namespace (its own JVM, so that it can
 * reach the lab's addresses): virtual clients, each a relay-path client of every server, that
 * obtain a lease from a random server and renew it with a random server, over and over until the
 * deadline; a server that does not answer (killed) is simply tried again another time. Every
 * DHCPACK is appended to a file as "client-hex address ends-no-earlier-than-nanos", the record the
 * test checks against the database.
 *
 * <p>Arguments: servers (comma-separated addresses, port 67), relay address, first client number,
 * clients, seconds, ACK file.
 */
public final class RelayLoad {

    private static final Duration STEP = Duration.ofSeconds(1);

    private RelayLoad() {
    }

    public static void main(String[] args) throws Exception {
        List<InetSocketAddress> servers = Arrays.stream(args[0].split(","))
                .map(a -> new InetSocketAddress(a, 67)).toList();
        Ipv4Address relay = Ipv4Address.parse(args[1]);
        int first = Integer.parseInt(args[2]);
        int clients = Integer.parseInt(args[3]);
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[4])).toNanos();
        Path acks = Path.of(args[5]);
        try (BufferedWriter out = Files.newBufferedWriter(acks, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int n = first + i;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        run(n, servers, relay, deadline, out);
                    } catch (IOException e) {
                        System.err.println("client " + n + ": " + e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        System.out.println("load done");
    }

    private static void run(int n, List<InetSocketAddress> servers, Ipv4Address relay, long deadline,
                            BufferedWriter out) throws IOException {
        HardwareAddress mac = new HardwareAddress(1, new byte[] {2, 0x10, 0, 0, (byte) (n >> 8), (byte) n});
        String clientHex = "01" + HexFormat.of().formatHex(mac.bytes());
        List<RelayPathClient> paths = new ArrayList<>();
        try {
            for (InetSocketAddress server : servers) {
                paths.add(RelayPathClient.open(relay, server, new ClientMessages(mac, null, "load" + n,
                        ClientMessages.RelayFields.NONE), RandomGenerator.of("L64X128MixRandom"), Clock.systemUTC()));
            }
            Optional<Binding> bound = Optional.empty();
            while (System.nanoTime() < deadline) {
                RelayPathClient path = paths.get(ThreadLocalRandom.current().nextInt(paths.size()));
                Instant sent = Instant.now();
                if (bound.isEmpty()) {
                    bound = path.obtain(null, STEP);
                    if (bound.isPresent()) {
                        record(out, clientHex, bound.get().address(), sent.plus(bound.get().leaseTime()));
                    }
                } else {
                    Optional<DhcpMessage> reply = path.exchange(
                            path.messages().requestRenew(path.newXid(), bound.get().address()), STEP);
                    MessageType type = reply.flatMap(DhcpMessage::messageType).orElse(null);
                    if (type == MessageType.ACK) {
                        record(out, clientHex, bound.get().address(),
                                sent.plus(Binding.from(reply.get(), sent).leaseTime()));
                    } else if (type == MessageType.NAK) {
                        bound = Optional.empty();
                    }
                }
                sleep(200);
            }
        } finally {
            for (RelayPathClient path : paths) {
                path.close();
            }
        }
    }

    private static void record(BufferedWriter out, String clientHex, Ipv4Address address, Instant endsNoEarlierThan)
            throws IOException {
        long nanos = endsNoEarlierThan.getEpochSecond() * 1_000_000_000L + endsNoEarlierThan.getNano();
        synchronized (out) {
            out.write(clientHex + " " + address + " " + nanos);
            out.newLine();
            out.flush();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
