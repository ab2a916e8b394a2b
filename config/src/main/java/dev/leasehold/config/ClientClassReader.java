package dev.leasehold.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one entry of {@code client-classes}:
 * <pre>
 * - name: voip
 *   match: {vendor-class-prefix: "Polycom"}   # several tests: all must hold
 *   options: {tftp-server-name: 10.0.0.5}
 * </pre>
 * The tests look at option 60 (RFC 2132 §9.13), option 77 (RFC 3004), chaddr, and the relay
 * agent's circuit-id and remote-id (RFC 3046 §3.1, §3.2).
 */
final class ClientClassReader {

    private final OptionsReader options;

    ClientClassReader(OptionsReader options) {
        this.options = options;
    }

    Optional<ClientClassConfig> read(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        int before = problems.count();
        Optional<String> name = fields.required("name", Scalars.NAME_TEXT);
        Optional<ClassMatch> match = fields.required("match", this::match);
        List<OptionSetting> settings = fields.optional("options", options.reader()).orElse(List.of());
        fields.rejectUnknown();
        if (problems.count() != before || name.isEmpty() || match.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ClientClassConfig(name.get(), match.get(), settings));
    }

    private Optional<ClassMatch> match(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        List<ClassMatch> tests = new ArrayList<>();
        fields.optional("vendor-class-prefix", Scalars.TEXT_OR_HEX).map(ClassMatch.VendorClassPrefix::new).ifPresent(tests::add);
        fields.optional("user-class", Scalars.TEXT_OR_HEX).map(ClassMatch.UserClass::new).ifPresent(tests::add);
        fields.optional("mac-prefix", Scalars.MAC_PREFIX).map(ClassMatch.MacPrefix::new).ifPresent(tests::add);
        fields.optional("circuit-id", Scalars.TEXT_OR_HEX).map(ClassMatch.CircuitId::new).ifPresent(tests::add);
        fields.optional("remote-id", Scalars.TEXT_OR_HEX).map(ClassMatch.RemoteId::new).ifPresent(tests::add);
        fields.rejectUnknown();
        if (fields.node().entries().isEmpty()) {
            problems.report(node, path, "needs at least one test: vendor-class-prefix, user-class, mac-prefix,"
                    + " circuit-id or remote-id");
            return Optional.empty();
        }
        if (tests.size() != fields.node().entries().size()) {
            return Optional.empty();
        }
        return Optional.of(tests.size() == 1 ? tests.getFirst() : new ClassMatch.AllOf(tests));
    }
}
