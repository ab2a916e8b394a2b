package dev.leasehold.net.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Echoes to the loopback address only; the namespace tests cover an address that stays silent. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IcmpProberLoopbackTest {

    @Test
    void loopbackAnswers() throws Exception {
        try (IcmpProber prober = openOrSkip()) {
            boolean answered = prober.probe(Ipv4Address.parse("127.0.0.1"), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);

            assertThat(answered).as("127.0.0.1 answers an echo (%s socket)", prober.mode()).isTrue();
        }
    }

    @Test
    void manyProbesAtOnceAllComplete() throws Exception {
        try (IcmpProber prober = openOrSkip()) {
            var answers = java.util.stream.IntStream.rangeClosed(1, 20)
                    .mapToObj(i -> prober.probe(Ipv4Address.parse("127.0.0." + i), Duration.ofSeconds(2)))
                    .toList();

            for (var answer : answers) {
                assertThat(answer.get(5, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    private static IcmpProber openOrSkip() {
        try {
            return IcmpProber.open();
        } catch (IOException e) {
            Assumptions.abort("no ICMP socket here (needs ping_group_range or CAP_NET_RAW): " + e.getMessage());
            throw new AssertionError(e);
        }
    }
}
