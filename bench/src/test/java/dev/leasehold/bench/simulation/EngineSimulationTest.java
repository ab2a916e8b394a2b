package dev.leasehold.bench.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.PutResult;
import dev.leasehold.testkit.ForwardingLeaseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The short simulation of the test suite, and the proof that the harness can fail and replays.
 * The long run is {@link SimulateWeek}; {@code -Dleasehold.sim.seed=N} runs the short one with
 * another seed (and {@code -Dleasehold.sim.clients=N -Dleasehold.sim.days=D} at another size).
 */
class EngineSimulationTest {

    private static SimulationSettings shortRun() {
        return SimulationSettings.of(Long.getLong("leasehold.sim.seed", 20),
                Integer.getInteger("leasehold.sim.clients", 50_000),
                Duration.ofMinutes(Math.round(Double.parseDouble(System.getProperty("leasehold.sim.days", "1")) * 1440)));
    }

    @Test
    void fiftyThousandClientsOverADayOnTheJournalKeepEveryRule() throws Exception {
        SimulationReport report = SimulateWeek.run(shortRun(), line -> { });
        System.out.println(report);

        // Every part of the lifecycle was exercised, not just DORA.
        assertThat(report.acks()).isGreaterThan(report.settings().clients());
        assertThat(report.naks()).as("NAKs (renewals in a pool range a reload removed, late REQUESTs)").isPositive();
        assertThat(report.releases()).isPositive();
        assertThat(report.declines()).isPositive();
        assertThat(report.reclaimed()).isPositive();
        assertThat(report.reloads()).isPositive();
        assertThat(report.exhausted()).as("DISCOVERs refused by the site whose pool runs full").isPositive();
        assertThat(report.limited()).as("DISCOVERs refused by the limited site's circuit limits").isPositive();
        assertThat(report.affinityChecks()).as("returning clients given their old address").isPositive();
        assertThat(report.checks()).isGreaterThan(5 * report.acks());
    }

    /** One seed, one run: the same replies in the same order, whichever store is under the engine. */
    @Test
    void aSeedReplaysExactly() throws Exception {
        SimulationSettings settings = SimulationSettings.of(7, 3_000, Duration.ofHours(30))
                .withStore(SimulationSettings.StoreKind.MEMORY);
        SimulationReport first = SimulateWeek.run(settings, line -> { });
        SimulationReport again = SimulateWeek.run(settings, line -> { });
        SimulationReport onTheJournal = SimulateWeek.run(settings.withStore(SimulationSettings.StoreKind.JOURNAL), line -> { });

        assertThat(again.trace()).isEqualTo(first.trace());
        assertThat(again.checks()).isEqualTo(first.checks());
        assertThat(onTheJournal.trace()).isEqualTo(first.trace());
        assertThat(onTheJournal.requests()).isEqualTo(first.requests());
        SimulationReport otherSeed = SimulateWeek.run(SimulationSettings.of(8, 3_000, Duration.ofHours(30))
                .withStore(SimulationSettings.StoreKind.MEMORY), line -> { });
        assertThat(otherSeed.trace()).isNotEqualTo(first.trace());
    }

    /** A store that says it stored a renewal but kept the old record: the harness must notice, and name the seed. */
    @Test
    void aStoreThatLosesAnAcknowledgedRenewalIsCaughtWithItsSeed() {
        SimulationSettings settings = SimulationSettings.of(11, 2_000, Duration.ofHours(12))
                .withStore(SimulationSettings.StoreKind.MEMORY);
        ForwardingLeaseStore forgetful = new ForwardingLeaseStore(new InMemoryLeaseStore()) {
            private int renewals;

            @Override
            public CompletableFuture<PutResult> put(Lease lease, Instant now) {
                boolean renewal = delegate.get(lease.address())
                        .filter(l -> l.state() == LeaseState.ACTIVE && l.clientId().equals(lease.clientId())).isPresent();
                if (renewal && lease.state() == LeaseState.ACTIVE && ++renewals == 500) {
                    return CompletableFuture.completedFuture(new PutResult.Stored(lease));
                }
                return delegate.put(lease, now);
            }
        };

        assertThatThrownBy(() -> new EngineSimulation(settings, forgetful, line -> { }).run())
                .isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("seed 11")
                .hasMessageContaining("is not in the store")
                .hasMessageContaining("--seed 11 --clients 2000 --hours 12");
    }
}
