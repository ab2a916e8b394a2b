package dev.leasehold.bench.lan;

import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.PutResult;
import dev.leasehold.lease.journal.JournalLeaseStore;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * One deterministic set of active leases, written in the three stores the benchmark's "store
 * already holds N leases" scenario starts from: Leasehold's journal, Kea's memfile CSV and
 * dnsmasq's lease file. Every server thus starts from the same clients, addresses and expiry.
 *
 * <p>Lease {@code i} binds {@code firstAddress + i * stride} to MAC {@code 02:fe:<i as 4 bytes>}
 * (locally administered, RFC 7042 §2.1, and never produced by perfdhcp, whose MACs start
 * {@code 00:0c}, nor by {@code leasehold client --simulate}, whose second byte is its seed
 * 0-127). The stride spreads the leases over the pool, so neither an iterative nor a random
 * allocator meets one solid block of taken addresses.
 *
 * @param count        how many leases
 * @param firstAddress the first leased address (the pool's first address)
 * @param stride       distance between two leased addresses
 * @param subnetId     the subnet id the servers are configured with
 * @param start        when the leases were granted (Kea's cltt)
 * @param lifetime     lease time in seconds (RFC 2132 §9.2)
 */
public record PrefilledLeases(int count, Ipv4Address firstAddress, int stride, int subnetId, Instant start,
                              long lifetime) {

    public PrefilledLeases {
        if (count < 0 || stride < 1) {
            throw new IllegalArgumentException("count must be >= 0 and stride >= 1");
        }
        long last = firstAddress.toLong() + (long) Math.max(0, count - 1) * stride;
        if (last > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("the leases run past 255.255.255.255");
        }
    }

    /** The MAC of lease {@code i}. */
    public byte[] mac(int i) {
        return new byte[] {0x02, (byte) 0xfe, (byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
    }

    /** The address of lease {@code i}. */
    public Ipv4Address address(int i) {
        return Ipv4Address.ofLong(firstAddress.toLong() + (long) i * stride);
    }

    /** Lease {@code i} as Leasehold stores it; the client id is htype + MAC, as for a client without option 61. */
    public Lease lease(int i) {
        HardwareAddress hardware = new HardwareAddress(HardwareAddress.ETHERNET, mac(i));
        return new Lease(address(i), ClientId.of(hardware), hardware, subnetId, LeaseState.ACTIVE, start,
                start.plusSeconds(lifetime), "");
    }

    /** Writes the leases into a new Leasehold journal in {@code dataDirectory} (without fsync; closed at the end). */
    public void writeJournal(Path dataDirectory) throws IOException {
        Files.createDirectories(dataDirectory);
        try (JournalLeaseStore store = JournalLeaseStore.open(dataDirectory, DurabilityPolicy.NONE)) {
            // Puts complete asynchronously; waiting on every 4096th keeps the queue bounded.
            CompletableFuture<PutResult> last = CompletableFuture.completedFuture(null);
            for (int i = 0; i < count; i++) {
                last = store.put(lease(i), start);
                if ((i & 4095) == 4095) {
                    requireStored(last.join(), i);
                }
            }
            if (count > 0) {
                requireStored(last.join(), count - 1);
            }
        }
    }

    private static void requireStored(PutResult result, int i) {
        if (!(result instanceof PutResult.Stored)) {
            throw new IllegalStateException("lease " + i + " was not stored: " + result);
        }
    }

    /**
     * Writes Kea 2.2's memfile lease file (the header Kea itself writes; expire = cltt + lifetime,
     * state 0 = default/active).
     */
    public void writeKeaCsv(Path file) throws IOException {
        HexFormat hex = HexFormat.ofDelimiter(":");
        long expire = start.getEpochSecond() + lifetime;
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context\n");
            for (int i = 0; i < count; i++) {
                String mac = hex.formatHex(mac(i));
                out.write(address(i) + "," + mac + ",01:" + mac + "," + lifetime + "," + expire + "," + subnetId
                        + ",0,0,,0,\n");
            }
        }
    }

    /** Writes dnsmasq's lease file: "expiry-epoch mac address hostname client-id", hostname "*" for none. */
    public void writeDnsmasqLeases(Path file) throws IOException {
        HexFormat hex = HexFormat.ofDelimiter(":");
        long expire = start.getEpochSecond() + lifetime;
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < count; i++) {
                String mac = hex.formatHex(mac(i));
                out.write(expire + " " + mac + " " + address(i) + " * 01:" + mac + "\n");
            }
        }
    }

    /**
     * {@code PrefilledLeases COUNT FIRST-ADDRESS STRIDE SUBNET-ID LIFETIME-S OUT-DIR}: writes
     * OUT-DIR/leasehold/ (a journal), OUT-DIR/kea-leases4.csv and OUT-DIR/dnsmasq.leases.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 6) {
            System.err.println("usage: PrefilledLeases COUNT FIRST-ADDRESS STRIDE SUBNET-ID LIFETIME-S OUT-DIR");
            System.exit(2);
        }
        PrefilledLeases leases = new PrefilledLeases(Integer.parseInt(args[0]), Ipv4Address.parse(args[1]),
                Integer.parseInt(args[2]), Integer.parseInt(args[3]), Instant.now(), Long.parseLong(args[4]));
        Path out = Path.of(args[5]);
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        leases.writeJournal(out.resolve("leasehold"));
        long t1 = System.nanoTime();
        leases.writeKeaCsv(out.resolve("kea-leases4.csv"));
        leases.writeDnsmasqLeases(out.resolve("dnsmasq.leases"));
        System.out.printf("%d leases written: journal %.1f s, Kea CSV and dnsmasq file %.1f s%n", leases.count(),
                (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
    }
}
