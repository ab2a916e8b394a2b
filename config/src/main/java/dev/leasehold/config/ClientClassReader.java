package dev.leasehold.config;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Reads one entry of {@code client-classes}:
 * <pre>
 * - name: voip
 *   match: {vendor-class-prefix: "Polycom"}   # several tests: all must hold
 *   options: {tftp-server-name: 10.0.0.5}
 *   next-server: 10.0.0.5          # siaddr, server-hostname (sname) and boot-file-name (file),
 *   boot-file-name: undionly.kpxe  # the BOOTP header fields PXE firmware reads (RFC 2131 §2)
 * </pre>
 * The tests look at option 60 (RFC 2132 §9.13), option 77 (RFC 3004), chaddr, and the relay
 * agent's circuit-id and remote-id (RFC 3046 §3.1, §3.2); {@code option} and {@code relay} test
 * any option or relay sub-option, and {@code all}, {@code any} and {@code not} combine tests:
 * <pre>
 * match:
 *   all:
 *     - option: {code: 60, prefix: PXEClient}
 *     - any: [{option: {code: 93, hex: "00:07"}}, {option: {code: 93, hex: "00:09"}}]
 *     - not: {relay: {sub-option: 2, exists: true}}
 * </pre>
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
        Ipv4Address nextServer = fields.optional("next-server", Scalars.ADDRESS).orElse(Ipv4Address.ANY);
        String serverHostname = fields.optional("server-hostname", headerText(DhcpMessage.SNAME_LENGTH)).orElse("");
        String bootFileName = fields.optional("boot-file-name", headerText(DhcpMessage.FILE_LENGTH)).orElse("");
        fields.rejectUnknown();
        if (problems.count() != before || name.isEmpty() || match.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ClientClassConfig(name.get(), match.get(), settings, nextServer, serverHostname,
                bootFileName));
    }

    /**
     * Text for the {@code sname} or {@code file} header field (RFC 2131 §2): printable ASCII that
     * leaves room for the terminating zero of a field {@code fieldLength} bytes long.
     */
    private static ValueReader<String> headerText(int fieldLength) {
        return Scalars.text(text -> {
            if (text.isEmpty() || text.length() > fieldLength - 1 || !text.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                throw new IllegalArgumentException("must be 1-" + (fieldLength - 1)
                        + " printable ASCII characters without spaces (it fills a " + fieldLength + "-byte header field)");
            }
            return text;
        });
    }

    private static final String TESTS = "vendor-class-prefix, user-class, mac-prefix, circuit-id, remote-id,"
            + " option, relay, all, any or not";
    private static final List<String> VALUE_TESTS = List.of("equals", "prefix", "contains", "exists", "hex");

    private Optional<ClassMatch> match(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        int before = problems.count();
        List<ClassMatch> tests = new ArrayList<>();
        fields.optional("vendor-class-prefix", Scalars.TEXT_OR_HEX).map(ClassMatch.VendorClassPrefix::new).ifPresent(tests::add);
        fields.optional("user-class", Scalars.TEXT_OR_HEX).map(ClassMatch.UserClass::new).ifPresent(tests::add);
        fields.optional("mac-prefix", Scalars.MAC_PREFIX).map(ClassMatch.MacPrefix::new).ifPresent(tests::add);
        fields.optional("circuit-id", Scalars.TEXT_OR_HEX).map(ClassMatch.CircuitId::new).ifPresent(tests::add);
        fields.optional("remote-id", Scalars.TEXT_OR_HEX).map(ClassMatch.RemoteId::new).ifPresent(tests::add);
        fields.optional("option", this::optionTest).ifPresent(tests::add);
        fields.optional("relay", this::relayTest).ifPresent(tests::add);
        fields.optional("all", this::matchList).map(ClassMatch.AllOf::new).ifPresent(tests::add);
        fields.optional("any", this::matchList).map(ClassMatch.AnyOf::new).ifPresent(tests::add);
        fields.optional("not", this::match).map(ClassMatch.Not::new).ifPresent(tests::add);
        fields.rejectUnknown();
        if (fields.node().entries().isEmpty()) {
            problems.report(node, path, "needs at least one test: " + TESTS);
            return Optional.empty();
        }
        if (problems.count() != before || tests.size() != fields.node().entries().size()) {
            return Optional.empty();
        }
        return Optional.of(tests.size() == 1 ? tests.getFirst() : new ClassMatch.AllOf(tests));
    }

    /** A non-empty list of matches, for {@code all} and {@code any}. */
    private Optional<List<ClassMatch>> matchList(RawNode node, String path, Problems problems) {
        int before = problems.count();
        Optional<List<ClassMatch>> list = Scalars.listOf(this::match).read(node, path, problems);
        if (list.isPresent() && list.get().isEmpty() && problems.count() == before) {
            problems.report(node, path, "needs at least one test in the list");
            return Optional.empty();
        }
        return problems.count() == before ? list : Optional.empty();
    }

    /** {@code {code: 1-254, <value test>}}: an option of the request (RFC 2132 and later). */
    private Optional<ClassMatch> optionTest(RawNode node, String path, Problems problems) {
        return codedTest(node, path, problems, "code", 254, ClassMatch.OptionValue::new);
    }

    /** {@code {sub-option: 1-255, <value test>}}: a sub-option of the relay's option 82 (RFC 3046 §2.0). */
    private Optional<ClassMatch> relayTest(RawNode node, String path, Problems problems) {
        return codedTest(node, path, problems, "sub-option", 255, ClassMatch.RelaySubOption::new);
    }

    private static Optional<ClassMatch> codedTest(RawNode node, String path, Problems problems, String codeKey,
                                                  int maxCode, BiFunction<Integer, ClassMatch.ValueTest, ClassMatch> make) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        Optional<Long> code = fields.required(codeKey, Scalars.integer(1, maxCode));
        Optional<ClassMatch.ValueTest> test = valueTest(fields);
        fields.rejectUnknown();
        return code.isEmpty() || test.isEmpty() ? Optional.empty() : Optional.of(make.apply(code.get().intValue(), test.get()));
    }

    /**
     * Exactly one of {@code equals}, {@code prefix}, {@code contains} (text as UTF-8, or
     * {@code 0x} hex), {@code hex} (equals, the value as hex bytes) or {@code exists} (true:
     * present, false: absent).
     */
    private static Optional<ClassMatch.ValueTest> valueTest(Fields fields) {
        List<String> given = VALUE_TESTS.stream().filter(fields::has).toList();
        if (given.size() != 1) {
            fields.problems().report(fields.node(), fields.path(), (given.isEmpty() ? "needs" : "takes only")
                    + " one test of " + String.join(", ", VALUE_TESTS) + (given.isEmpty() ? "" : ", not " + given));
            return Optional.empty();
        }
        return switch (given.getFirst()) {
            case "equals" -> fields.optional("equals", Scalars.TEXT_OR_HEX).map(v -> test(ClassMatch.ValueTest.Kind.EQUALS, v));
            case "prefix" -> fields.optional("prefix", Scalars.TEXT_OR_HEX).map(v -> test(ClassMatch.ValueTest.Kind.PREFIX, v));
            case "contains" -> fields.optional("contains", Scalars.TEXT_OR_HEX).map(v -> test(ClassMatch.ValueTest.Kind.CONTAINS, v));
            case "hex" -> fields.optional("hex", HEX_BYTES).map(v -> test(ClassMatch.ValueTest.Kind.EQUALS, v));
            default -> fields.optional("exists", Scalars.BOOLEAN).map(present ->
                    test(present ? ClassMatch.ValueTest.Kind.EXISTS : ClassMatch.ValueTest.Kind.ABSENT, new byte[0]));
        };
    }

    private static ClassMatch.ValueTest test(ClassMatch.ValueTest.Kind kind, byte[] value) {
        return new ClassMatch.ValueTest(kind, value);
    }

    /** Hex bytes, {@code 00:07}, {@code 00-07}, {@code 0007} or {@code 0x0007}. */
    private static final ValueReader<byte[]> HEX_BYTES = Scalars.text(text -> {
        String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        String compact = digits.replace(":", "").replace("-", "");
        boolean grouped = !compact.equals(digits);
        if (compact.isEmpty() || compact.length() % 2 != 0 || !compact.matches("[0-9A-Fa-f]+")
                || grouped && !digits.matches("[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2})*")) {
            throw new IllegalArgumentException("not hex bytes (such as 00:07 or 0x0007): '" + text + "'");
        }
        return HexFormat.of().parseHex(compact);
    });
}
