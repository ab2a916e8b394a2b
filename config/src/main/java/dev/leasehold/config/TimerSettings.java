package dev.leasehold.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The lease timer keys as one level of the file sets them (the top level or one subnet), before
 * inheritance and defaults. A key that is present but unreadable makes the level incomplete, so
 * the rules between timers are not checked against a value the operator did not write.
 */
record TimerSettings(Optional<Located<Duration>> valid, Optional<Located<Duration>> min,
                     Optional<Located<Duration>> max, Optional<Located<Duration>> renew,
                     Optional<Located<Duration>> rebind, boolean complete) {

    static final String VALID = "valid-lifetime";
    static final String MIN = "min-lifetime";
    static final String MAX = "max-lifetime";
    static final String RENEW = "renew-timer";
    static final String REBIND = "rebind-timer";

    static final TimerSettings NONE = new TimerSettings(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), true);

    static TimerSettings read(Fields fields) {
        int before = fields.problems().count();
        TimerSettings settings = new TimerSettings(one(fields, VALID), one(fields, MIN), one(fields, MAX),
                one(fields, RENEW), one(fields, REBIND), true);
        return before == fields.problems().count() ? settings
                : new TimerSettings(settings.valid, settings.min, settings.max, settings.renew, settings.rebind, false);
    }

    boolean anySet() {
        return valid.isPresent() || min.isPresent() || max.isPresent() || renew.isPresent() || rebind.isPresent();
    }

    private static Optional<Located<Duration>> one(Fields fields, String key) {
        return fields.entry(key).flatMap(e -> Scalars.LEASE_SECONDS.read(e.value(), fields.path(key), fields.problems())
                .map(d -> new Located<>(d, e.value(), fields.path(key))));
    }
}
