package dev.leasehold.interop.linux;

import dev.leasehold.net.linux.IcmpProber;
import dev.leasehold.wire.Ipv4Address;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link IcmpProber} once inside a namespace for the namespace tests:
 * {@code IcmpProberProbe MODE ADDRESS TIMEOUT_MILLIS} with MODE {@code DATAGRAM}, {@code RAW} or
 * {@code AUTO}; prints {@code MODE=.. ANSWERED=true|false ELAPSED_MS=..}, or {@code OPEN-FAILED ..}.
 */
public final class IcmpProberProbe {

    private IcmpProberProbe() {
    }

    public static void main(String[] args) throws Exception {
        Ipv4Address target = Ipv4Address.parse(args[1]);
        Duration timeout = Duration.ofMillis(Long.parseLong(args[2]));
        IcmpProber prober;
        try {
            prober = args[0].equals("AUTO") ? IcmpProber.open() : IcmpProber.open(IcmpProber.Mode.valueOf(args[0]));
        } catch (java.io.IOException e) {
            System.out.println("OPEN-FAILED " + e.getMessage());
            System.exit(3);
            return;
        }
        try (prober) {
            long start = System.nanoTime();
            boolean answered = prober.probe(target, timeout).get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            System.out.printf("MODE=%s ANSWERED=%s ELAPSED_MS=%d%n", prober.mode(), answered,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }
}
