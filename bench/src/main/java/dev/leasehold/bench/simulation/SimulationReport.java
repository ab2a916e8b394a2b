package dev.leasehold.bench.simulation;

import java.time.Duration;

/**
 * What a simulation run did and how fast.
 *
 * @param settings        the run
 * @param wallTime        real time spent
 * @param requests        requests the engine decided
 * @param acks            DHCPACKs (new leases, renewals, rebinds, INIT-REBOOTs)
 * @param naks            DHCPNAKs
 * @param offers          DHCPOFFERs
 * @param releases        accepted DHCPRELEASEs
 * @param declines        accepted DHCPDECLINEs
 * @param exhausted       DISCOVERs dropped because the client's pools were full (clients retry)
 * @param limited         DISCOVERs refused by the limited site's limits (clients retry)
 * @param reclaimed       leases and probations the reclaimer ended
 * @param reloads         configuration reloads with changed pools
 * @param affinityChecks  returning clients whose old address was free, and who got it
 * @param checks          invariant checks made
 * @param peakLeases      most running leases at once
 * @param storedRecords   lease records in the store at the end
 * @param trace           a hash of every reply in order: equal for equal runs
 */
public record SimulationReport(SimulationSettings settings, Duration wallTime, long requests, long acks, long naks,
                               long offers, long releases, long declines, long exhausted, long limited, long reclaimed, int reloads,
                               long affinityChecks, long checks, int peakLeases, long storedRecords, long trace) {

    /** Acknowledged leases (new and extended) per second of real time. */
    public double leasesPerSecond() {
        return acks / seconds();
    }

    public double requestsPerSecond() {
        return requests / seconds();
    }

    private double seconds() {
        return Math.max(1e-3, wallTime.toNanos() / 1e9);
    }

    @Override
    public String toString() {
        return """
                simulated %d clients over %s of virtual time (seed %d, %s store) in %.1f s
                  requests %,d (%,.0f/s), ACKs %,d (%,.0f leases/s), OFFERs %,d, NAKs %,d, releases %,d, declines %,d
                  pool-exhausted DISCOVERs %,d, refused by limits %,d, reclaimed %,d, reloads %d, returning clients given their old address %,d
                  peak running leases %,d, records stored at the end %,d
                  invariant checks %,d, violations 0, trace %016x"""
                .formatted(settings.clients(), settings.duration(), settings.seed(), settings.store(),
                        wallTime.toNanos() / 1e9, requests, requestsPerSecond(), acks, leasesPerSecond(), offers, naks,
                        releases, declines, exhausted, limited, reclaimed, reloads, affinityChecks, peakLeases, storedRecords,
                        checks, trace);
    }
}
