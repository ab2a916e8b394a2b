package dev.leasehold.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Resolves the lease timers of one level (the top level, or a subnet over the top level) and
 * checks the rules between them, RFC 2131 §4.4.5: T1 &lt; T2 &lt; lease time, for every lease time
 * the server may grant, which is any in [min-lifetime, max-lifetime].
 *
 * <p>Defaults: valid-lifetime 3600 s; min-lifetime and max-lifetime equal to the effective
 * valid-lifetime (so a client's requested lease time is honoured only where the operator opened
 * a range); T1 and T2 unset, meaning 0.5 and 0.875 of the granted lease time (RFC 2131 §4.4.5).
 * A rule is reported only at the level that set one of the timers it involves, so a mistake at
 * the top level is reported once, not once per subnet.
 */
final class TimerRules {
    private TimerRules() {
    }

    static final Duration DEFAULT_VALID_LIFETIME = Duration.ofHours(1);

    /** One resolved timer: its value, and where it was set (empty for a default). */
    private record Timer(String key, Duration value, Optional<Located<Duration>> origin, boolean local,
                         boolean derived) {
        String describe() {
            String source = derived ? " (defaults to valid-lifetime)" : origin.isEmpty() ? " (the default)"
                    : local ? "" : " (from the top level)";
            return key + " " + Scalars.format(value) + source;
        }
    }

    /**
     * The timers of {@code local} over {@code inherited}, or empty when a rule is broken or a timer
     * was unreadable (after reporting).
     */
    static Optional<LeaseTimers> resolve(TimerSettings inherited, TimerSettings local, Problems problems) {
        if (!inherited.complete() || !local.complete()) {
            return Optional.empty();
        }
        Timer valid = pick(TimerSettings.VALID, local.valid(), inherited.valid(), DEFAULT_VALID_LIFETIME);
        Timer min = bound(TimerSettings.MIN, local.min(), inherited.min(), valid);
        Timer max = bound(TimerSettings.MAX, local.max(), inherited.max(), valid);
        Optional<Timer> renew = optional(TimerSettings.RENEW, local.renew(), inherited.renew());
        Optional<Timer> rebind = optional(TimerSettings.REBIND, local.rebind(), inherited.rebind());

        int before = problems.count();
        if (min.value().compareTo(valid.value()) > 0) {
            report(problems, min, valid, min.describe() + " is longer than " + valid.describe()
                    + "; min-lifetime <= valid-lifetime <= max-lifetime is required");
        }
        if (valid.value().compareTo(max.value()) > 0) {
            report(problems, valid, max, valid.describe() + " is longer than " + max.describe()
                    + "; min-lifetime <= valid-lifetime <= max-lifetime is required");
        }
        if (rebind.isPresent() && rebind.get().value().compareTo(min.value()) >= 0) {
            report(problems, rebind.get(), min, "rebind-timer (T2) must be shorter than every lease granted,"
                    + " but " + rebind.get().describe() + " is not shorter than " + min.describe()
                    + " (RFC 2131 §4.4.5: T2 < lease time)");
        }
        if (renew.isPresent() && rebind.isPresent() && renew.get().value().compareTo(rebind.get().value()) >= 0) {
            report(problems, renew.get(), rebind.get(), "renew-timer (T1) must be shorter than rebind-timer (T2), but "
                    + renew.get().describe() + " is not shorter than " + rebind.get().describe()
                    + " (RFC 2131 §4.4.5: T1 < T2)");
        }
        if (renew.isPresent() && rebind.isEmpty()) {
            Duration defaultRebind = min.value().multipliedBy(7).dividedBy(8);
            if (renew.get().value().compareTo(defaultRebind) >= 0) {
                report(problems, renew.get(), min, "renew-timer (T1) " + Scalars.format(renew.get().value())
                        + " is not shorter than the default T2 (0.875 x lease time) of the shortest lease, "
                        + Scalars.format(defaultRebind) + " for " + min.describe() + "; set rebind-timer or a"
                        + " shorter renew-timer (RFC 2131 §4.4.5: T1 < T2)");
            }
        }
        if (rebind.isPresent() && renew.isEmpty()) {
            Duration defaultRenew = max.value().dividedBy(2);
            if (defaultRenew.compareTo(rebind.get().value()) >= 0) {
                report(problems, rebind.get(), max, "rebind-timer (T2) " + Scalars.format(rebind.get().value())
                        + " is not longer than the default T1 (0.5 x lease time) of the longest lease, "
                        + Scalars.format(defaultRenew) + " for " + max.describe() + "; set renew-timer or a"
                        + " longer rebind-timer (RFC 2131 §4.4.5: T1 < T2)");
            }
        }
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new LeaseTimers(valid.value(), min.value(), max.value(),
                renew.map(Timer::value).orElse(null), rebind.map(Timer::value).orElse(null)));
    }

    /**
     * Reports a broken rule between {@code a} and {@code b} at whichever of them this level set
     * (a defaulted min/max counts as set where its valid-lifetime was); when this level set
     * neither, the level that did has reported it already.
     */
    private static void report(Problems problems, Timer a, Timer b, String message) {
        Timer blamed = a.local() && a.origin().isPresent() ? a : b.local() && b.origin().isPresent() ? b : null;
        if (blamed != null) {
            Located<Duration> at = blamed.origin().orElseThrow();
            problems.report(at.node(), at.path(), message);
        }
    }

    private static Timer pick(String key, Optional<Located<Duration>> local, Optional<Located<Duration>> inherited,
                              Duration fallback) {
        return optional(key, local, inherited).orElseGet(() -> new Timer(key, fallback, Optional.empty(), false, false));
    }

    /** min- or max-lifetime: as set, or else the effective valid-lifetime, which then answers for it. */
    private static Timer bound(String key, Optional<Located<Duration>> local, Optional<Located<Duration>> inherited,
                               Timer valid) {
        return optional(key, local, inherited)
                .orElseGet(() -> new Timer(key, valid.value(), valid.origin(), valid.local(), true));
    }

    private static Optional<Timer> optional(String key, Optional<Located<Duration>> local,
                                            Optional<Located<Duration>> inherited) {
        if (local.isPresent()) {
            return Optional.of(new Timer(key, local.get().value(), local, true, false));
        }
        return inherited.map(i -> new Timer(key, i.value(), Optional.of(i), false, false));
    }
}
