package dev.leasehold.config;

import dev.leasehold.wire.Ipv4Address;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code limits} block (top level, or a subnet's, which replaces the top level's for
 * that subnet):
 *
 * <pre>
 * limits:
 *   new-clients: {rate: 10/s, burst: 20, per: circuit-id}
 *   max-leases: {per-circuit-id: 4, per-remote-id: 8, per-mac-prefix: {length: 3, max: 50}}
 *   unknown-offer-share: 25%
 *   declines: {max: 3, per: 1h}
 *   trusted-relays: [192.0.2.2]
 *   option-82-without-giaddr: ignore
 * </pre>
 */
final class LimitsReader {

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*/\\s*(s|m|h)");
    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");

    private LimitsReader() {
    }

    static final ValueReader<LimitsConfig> LIMITS = LimitsReader::read;

    private static Optional<LimitsConfig> read(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        int before = problems.count();
        Optional<LimitsConfig.RateLimit> rate = fields.optional("new-clients", LimitsReader::rateLimit);
        Optional<Fields> maxLeases = fields.entry("max-leases")
                .flatMap(e -> Fields.of(e.value(), fields.path("max-leases"), problems));
        OptionalInt perCircuit = OptionalInt.empty();
        OptionalInt perRemote = OptionalInt.empty();
        Optional<LimitsConfig.MacPrefixLimit> perMacPrefix = Optional.empty();
        if (maxLeases.isPresent()) {
            Fields m = maxLeases.get();
            perCircuit = toInt(m.optional("per-circuit-id", Scalars.integer(1, 1_000_000)));
            perRemote = toInt(m.optional("per-remote-id", Scalars.integer(1, 1_000_000)));
            perMacPrefix = m.optional("per-mac-prefix", LimitsReader::macPrefixLimit);
            m.rejectUnknown();
        }
        OptionalDouble share = fields.optional("unknown-offer-share", LimitsReader::share)
                .map(OptionalDouble::of).orElse(OptionalDouble.empty());
        Optional<LimitsConfig.DeclineCap> declines = fields.optional("declines", LimitsReader::declineCap);
        List<Ipv4Address> trusted = fields.optional("trusted-relays", Scalars.listOf(Scalars.ADDRESS)).orElse(List.of());
        LimitsConfig.Option82WithoutGiaddr option82 = fields.optional("option-82-without-giaddr",
                Scalars.enumeration(LimitsConfig.Option82WithoutGiaddr.class)).orElse(LimitsConfig.Option82WithoutGiaddr.USE);
        fields.rejectUnknown();
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new LimitsConfig(rate, perCircuit, perRemote, perMacPrefix, share, declines, trusted, option82));
    }

    private static OptionalInt toInt(Optional<Long> value) {
        return value.map(v -> OptionalInt.of(v.intValue())).orElse(OptionalInt.empty());
    }

    private static Optional<LimitsConfig.RateLimit> rateLimit(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields f = maybe.get();
        Optional<Double> perSecond = f.required("rate", LimitsReader::perSecond);
        Optional<Long> burst = f.optional("burst", Scalars.integer(1, 1_000_000));
        LimitsConfig.RateKey per = f.optional("per", Scalars.enumeration(LimitsConfig.RateKey.class))
                .orElse(LimitsConfig.RateKey.SUBNET);
        f.rejectUnknown();
        return perSecond.map(r -> new LimitsConfig.RateLimit(r,
                burst.map(Long::intValue).orElse((int) Math.max(1, Math.ceil(r))), per));
    }

    /** "10/s", "600/m", "3600/h": requests per second, more than zero. */
    private static Optional<Double> perSecond(RawNode node, String path, Problems problems) {
        return Scalars.scalarText(node, path, problems).flatMap(text -> {
            Matcher m = RATE.matcher(text.trim());
            double value = m.matches() ? Double.parseDouble(m.group(1)) : 0;
            if (!m.matches() || value <= 0) {
                problems.report(node, path, "'" + text + "' is not a rate such as 10/s, 600/m or 3600/h (more than 0)");
                return Optional.empty();
            }
            return Optional.of(switch (m.group(2)) {
                case "s" -> value;
                case "m" -> value / 60;
                default -> value / 3600;
            });
        });
    }

    /** "25%": a share of more than 0 % and at most 100 %. */
    private static Optional<Double> share(RawNode node, String path, Problems problems) {
        return Scalars.scalarText(node, path, problems).flatMap(text -> {
            Matcher m = PERCENT.matcher(text.trim());
            double value = m.matches() ? Double.parseDouble(m.group(1)) : 0;
            if (!m.matches() || value <= 0 || value > 100) {
                problems.report(node, path, "'" + text + "' is not a share such as 25% (more than 0 %, at most 100 %)");
                return Optional.empty();
            }
            return Optional.of(value / 100);
        });
    }

    private static Optional<LimitsConfig.MacPrefixLimit> macPrefixLimit(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields f = maybe.get();
        Optional<Long> length = f.required("length", Scalars.integer(1, 5));
        Optional<Long> max = f.required("max", Scalars.integer(1, 1_000_000));
        f.rejectUnknown();
        return length.flatMap(l -> max.map(m -> new LimitsConfig.MacPrefixLimit(l.intValue(), m.intValue())));
    }

    private static Optional<LimitsConfig.DeclineCap> declineCap(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields f = maybe.get();
        Optional<Long> max = f.required("max", Scalars.integer(1, 1_000_000));
        Optional<Duration> period = f.required("per", Scalars.DURATION);
        f.rejectUnknown();
        return max.flatMap(m -> period.map(p -> new LimitsConfig.DeclineCap(m.intValue(), p)));
    }
}
