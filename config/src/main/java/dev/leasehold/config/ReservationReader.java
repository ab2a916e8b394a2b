package dev.leasehold.config;

import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads one entry of a subnet's {@code reservations}:
 * {@code {hw-address: "aa:bb:cc:dd:ee:ff", ip-address: 10.0.0.10, hostname: printer, options: {...}}}
 * or the same with {@code client-id: "01:aa:bb:cc:dd:ee:ff"} (option 61, RFC 2132 §9.14) instead
 * of {@code hw-address}. {@link SubnetReader} checks it against the subnet and the other reservations.
 */
final class ReservationReader {

    /** RFC 1123 §2.1 host names: labels of letters, digits and inner hyphens, dot-separated. */
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    /** A read reservation with the nodes its address and client key came from. */
    record Draft(Reservation reservation, Located<Ipv4Address> address, Located<?> client, String path) {
        /** The client as the engine keys it: option 61, or htype followed by the MAC (RFC 2131 §4.2). */
        ClientId clientKey() {
            return reservation.clientId().orElseGet(() -> ClientId.of(reservation.hardwareAddress().orElseThrow()));
        }

        String describeClient() {
            return reservation.hardwareAddress().map(h -> "hw-address " + h)
                    .orElseGet(() -> "client-id " + reservation.clientId().orElseThrow());
        }
    }

    private final OptionsReader options;

    ReservationReader(OptionsReader options) {
        this.options = options;
    }

    Optional<Draft> read(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        Optional<Located<HardwareAddress>> mac = located(fields, "hw-address", Scalars.MAC);
        Optional<Located<ClientId>> clientId = located(fields, "client-id", Scalars.CLIENT_ID);
        boolean hasMac = fields.has("hw-address");
        boolean hasClientId = fields.has("client-id");
        if (hasMac && hasClientId) {
            problems.report(node, path, "give either hw-address or client-id, not both");
        } else if (!hasMac && !hasClientId) {
            problems.report(node, fields.path("hw-address"), "required, but missing (or give client-id)");
        }
        Optional<Located<Ipv4Address>> address = fields.required("ip-address", Scalars.ADDRESS)
                .map(a -> new Located<>(a, fields.entry("ip-address").orElseThrow().value(), fields.path("ip-address")));
        String hostname = fields.optional("hostname", Scalars.text(ReservationReader::hostname)).orElse("");
        List<OptionSetting> settings = fields.optional("options", options.reader()).orElse(List.of());
        fields.rejectUnknown();
        if (address.isEmpty() || mac.isPresent() == clientId.isPresent()) {
            return Optional.empty();
        }
        Located<?> client = mac.isPresent() ? mac.get() : clientId.get();
        Reservation reservation = new Reservation(mac.map(Located::value), clientId.map(Located::value),
                address.get().value(), hostname, settings);
        return Optional.of(new Draft(reservation, address.get(), client, path));
    }

    private static String hostname(String text) {
        if (!HOSTNAME.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a host name (letters, digits and inner"
                    + " hyphens, dot-separated labels of at most 63 characters; RFC 1123 §2.1)");
        }
        return text;
    }

    private static <T> Optional<Located<T>> located(Fields fields, String key, ValueReader<T> reader) {
        return fields.optional(key, reader).map(v -> new Located<>(v, fields.entry(key).orElseThrow().value(),
                fields.path(key)));
    }
}
