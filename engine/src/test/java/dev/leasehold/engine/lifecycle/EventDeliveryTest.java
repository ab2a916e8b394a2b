package dev.leasehold.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.engine.LeaseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Lease events reach the sink after the engine has let go of its lock, so a slow sink (an
 * event log, a DNS queue) holds up only its own caller, never another thread that needs the
 * engine: the reclaimer, the control API, the change feed of a shared store.
 */
class EventDeliveryTest {

    @Test
    void anotherThreadCanUseTheEngineWhileTheSinkRuns() {
        List<LeaseEvent.Type> seen = new ArrayList<>();
        AtomicReference<EngineHarness> harness = new AtomicReference<>();
        AtomicReference<String> blocked = new AtomicReference<>();
        harness.set(EngineHarness.startTelling(event -> {
            seen.add(event.type());
            try {
                // Another thread asks the engine something that takes its lock.
                CompletableFuture.supplyAsync(() -> harness.get().engine.outstandingOffers()).get(2, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                blocked.set(event.type() + " was delivered while the engine lock was held");
            } catch (Exception e) {
                blocked.set(e.toString());
            }
        }));

        harness.get().client("02:00:00:00:00:01").dora();

        assertThat(blocked.get()).isNull();
        assertThat(seen).containsExactly(LeaseEvent.Type.OFFER, LeaseEvent.Type.ACK);
    }
}
