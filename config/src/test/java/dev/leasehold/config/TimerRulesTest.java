package dev.leasehold.config;

import static dev.leasehold.config.Configs.load;
import static dev.leasehold.config.Configs.problem;
import static dev.leasehold.config.Configs.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimerRulesTest {

    private static String withTop(String timers) {
        return timers + "\n" + Configs.MINIMAL_SUBNET;
    }

    @ParameterizedTest
    @CsvSource({"3600, 3600", "'90s', 90", "'30m', 1800", "'1h', 3600", "'1d', 86400", "'1w', 604800",
            "'1h30m', 5400", "'2d12h', 216000"})
    void durationsAcceptSecondsAndUnits(String written, long seconds) {
        assertThat(load(withTop("valid-lifetime: " + written + "\nmax-lifetime: 30d")).timers().validLifetime())
                .isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @CsvSource({"'1x'", "'1.5h'", "'-5'", "'h'", "'1 h'", "'1h 30m'", "'ten'", "'1e3'"})
    void malformedDurationIsRefused(String written) {
        ConfigProblem problem = problem(withTop("offer-hold: " + written));
        assertThat(problem.path()).isEqualTo("offer-hold");
        assertThat(problem.message()).containsAnyOf("is not a duration", "expected a duration");
    }

    @Test
    void decimalSecondsAreRefused() {
        assertThat(problem(withTop("offer-hold: 1.5")).message())
                .isEqualTo("expected a duration (3600, 90s, 30m, 1h), found the number 1.5");
    }

    @Test
    void zeroDurationIsRefused() {
        assertThat(problem(withTop("decline-probation: 0")).toString())
                .isEqualTo("test.yaml:1: decline-probation: must be longer than zero");
    }

    @Test
    void leaseTimeInMillisecondsIsRefused() {
        assertThat(problem(withTop("valid-lifetime: 1500ms")).message())
                .startsWith("must be a whole number of seconds up to 4294967294");
    }

    @Test
    void leaseTimeBeyondWhatOption51CarriesIsRefused() {
        assertThat(problem(withTop("valid-lifetime: 4294967295")).message())
                .startsWith("must be a whole number of seconds up to 4294967294");
    }

    @Test
    void millisecondsAreFineForServerSideIntervals() {
        assertThat(load(withTop("reclaim-interval: 250ms")).reclaimInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void renewTimerNotBeforeRebindTimerIsRefused() {
        assertThat(problem(withTop("""
                valid-lifetime: 3600
                renew-timer: 3000
                rebind-timer: 3000""")).toString()).isEqualTo("test.yaml:2: renew-timer: renew-timer (T1) must be"
                + " shorter than rebind-timer (T2), but renew-timer 3000s is not shorter than rebind-timer 3000s"
                + " (RFC 2131 §4.4.5: T1 < T2)");
    }

    @Test
    void rebindTimerNotBeforeLeaseTimeIsRefused() {
        assertThat(problem(withTop("""
                valid-lifetime: 3600
                rebind-timer: 3600""")).toString()).isEqualTo("test.yaml:2: rebind-timer: rebind-timer (T2) must be"
                + " shorter than every lease granted, but rebind-timer 3600s is not shorter than min-lifetime 3600s"
                + " (defaults to valid-lifetime) (RFC 2131 §4.4.5: T2 < lease time)");
    }

    @Test
    void rebindTimerMustFitTheShortestGrantableLease() {
        assertThat(problem(withTop("""
                valid-lifetime: 3600
                min-lifetime: 600
                max-lifetime: 7200
                renew-timer: 500
                rebind-timer: 900""")).message()).contains("rebind-timer 900s is not shorter than min-lifetime 600s");
    }

    @Test
    void renewTimerAloneMustStayBelowTheDefaultRebindTime() {
        assertThat(problem(withTop("""
                valid-lifetime: 1000
                renew-timer: 900""")).message()).startsWith("renew-timer (T1) 900s is not shorter than the default T2"
                + " (0.875 x lease time) of the shortest lease, 875s");
    }

    @Test
    void rebindTimerAloneMustStayAboveTheDefaultRenewTime() {
        assertThat(problem(withTop("""
                valid-lifetime: 1000
                rebind-timer: 400""")).message()).startsWith("rebind-timer (T2) 400s is not longer than the default T1"
                + " (0.5 x lease time) of the longest lease, 500s");
    }

    @Test
    void minLifetimeAboveValidLifetimeIsRefused() {
        assertThat(problem(withTop("""
                valid-lifetime: 600
                min-lifetime: 900
                max-lifetime: 1200""")).toString()).isEqualTo("test.yaml:2: min-lifetime: min-lifetime 900s is longer"
                + " than valid-lifetime 600s; min-lifetime <= valid-lifetime <= max-lifetime is required");
    }

    @Test
    void validLifetimeAboveMaxLifetimeIsRefused() {
        assertThat(problem(withTop("""
                valid-lifetime: 2h
                max-lifetime: 1h""")).toString()).isEqualTo("test.yaml:1: valid-lifetime: valid-lifetime 7200s is"
                + " longer than max-lifetime 3600s; min-lifetime <= valid-lifetime <= max-lifetime is required");
    }

    @Test
    void minAndMaxDefaultToTheValidLifetime() {
        LeaseTimers timers = load(withTop("valid-lifetime: 20s")).timers();
        assertThat(timers.minLifetime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(timers.maxLifetime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(timers.renewTimer()).isNull();
        assertThat(timers.rebindTimer()).isNull();
    }

    @Test
    void subnetOverridesOnlyTheTimersItSets() {
        ServerConfig config = load("""
                valid-lifetime: 1h
                min-lifetime: 10m
                max-lifetime: 2h
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    valid-lifetime: 30m
                    renew-timer: 5m
                    rebind-timer: 8m
                """);
        assertThat(config.subnets().getFirst().timers()).isEqualTo(new LeaseTimers(Duration.ofMinutes(30),
                Duration.ofMinutes(10), Duration.ofHours(2), Duration.ofMinutes(5), Duration.ofMinutes(8)));
    }

    @Test
    void subnetValidLifetimeBelowInheritedMinimumIsRefusedAtTheSubnet() {
        assertThat(problem("""
                valid-lifetime: 1h
                min-lifetime: 10m
                max-lifetime: 2h
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    valid-lifetime: 5m
                """).toString()).isEqualTo("test.yaml:7: subnets[0].valid-lifetime: min-lifetime 600s (from the top"
                + " level) is longer than valid-lifetime 300s; min-lifetime <= valid-lifetime <= max-lifetime is required");
    }

    @Test
    void subnetShortLeaseUnderTopLevelRebindTimerIsRefusedAtTheSubnet() {
        // The subnet's own valid-lifetime also sets its min-lifetime, which the inherited T2 exceeds.
        assertThat(problem("""
                renew-timer: 1800
                rebind-timer: 3150
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    valid-lifetime: 600
                """).toString()).isEqualTo("test.yaml:6: subnets[0].valid-lifetime: rebind-timer (T2) must be shorter"
                + " than every lease granted, but rebind-timer 3150s (from the top level) is not shorter than"
                + " min-lifetime 600s (defaults to valid-lifetime) (RFC 2131 §4.4.5: T2 < lease time)");
    }

    @Test
    void topLevelTimerMistakeIsReportedOnceNotPerSubnet() {
        assertThat(problems("""
                valid-lifetime: 600
                rebind-timer: 700
                subnets:
                  - {id: 1, subnet: 10.0.0.0/24}
                  - {id: 2, subnet: 10.0.1.0/24}
                """)).extracting(ConfigProblem::path).containsExactly("rebind-timer");
    }

    @Test
    void badTimerValueIsNotAlsoBlamedOnItsNeighbours() {
        assertThat(problems(withTop("""
                valid-lifetime: soon
                rebind-timer: 7200"""))).extracting(ConfigProblem::path).containsExactly("valid-lifetime");
    }
}
