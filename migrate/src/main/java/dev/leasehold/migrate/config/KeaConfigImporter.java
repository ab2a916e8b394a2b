package dev.leasehold.migrate.config;

import dev.leasehold.config.AddressRange;
import dev.leasehold.config.Prefix;
import dev.leasehold.migrate.ImportFailedException;
import dev.leasehold.migrate.ImportReport;
import dev.leasehold.migrate.config.KeaJson.Arr;
import dev.leasehold.migrate.config.KeaJson.Member;
import dev.leasehold.migrate.config.KeaJson.Node;
import dev.leasehold.migrate.config.KeaJson.Obj;
import dev.leasehold.migrate.config.KeaJson.Scalar;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.OptionCode;
import dev.leasehold.wire.OptionDefinition;
import dev.leasehold.wire.OptionType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ISC Kea's {@code kea-dhcp4.conf} (the {@code Dhcp4} object) → Leasehold configuration. Kea's
 * names for options and timers are Leasehold's, so most of it maps one to one; what does not
 * (hooks, the lease database, host back-ends, class expressions beyond simple prefix tests,
 * vendor option spaces, BOOTP header fields, shared-network pool sharing) is reported with its
 * line. One instance per import.
 */
public final class KeaConfigImporter {

    /** Keys whose meaning Leasehold takes from elsewhere, and why they need no translation. */
    private static final Map<String, String> NOT_CARRIED = Map.ofEntries(
            Map.entry("lease-database", "Leasehold keeps leases in its data-directory journal; import the leases with `leasehold import kea-leases`"),
            Map.entry("hosts-database", "host reservations in a database are not read; export them into the file first"),
            Map.entry("hosts-databases", "host reservations in a database are not read; export them into the file first"),
            Map.entry("loggers", "Leasehold logs to standard error (LEASEHOLD_LOG_LEVEL); see docs/operations.md"),
            Map.entry("control-socket", "Leasehold's control API is the `control` section (HTTP on loopback, token)"),
            Map.entry("hooks-libraries", "Leasehold has no hook libraries"),
            Map.entry("dhcp-ddns", "dynamic DNS updates are not configured by the import"),
            Map.entry("expired-leases-processing", "Leasehold reclaims expired leases every reclaim-interval (default 10s) and keeps affinity"),
            Map.entry("multi-threading", "Leasehold sizes its own threads"),
            Map.entry("sanity-checks", "Leasehold checks leases against its subnets at start"),
            Map.entry("decline-probation-period", "set decline-probation (default 1d) by hand"),
            Map.entry("next-server", "BOOTP siaddr is not configurable; use option tftp-server-name (66)"),
            Map.entry("server-hostname", "BOOTP sname is not configurable; use option tftp-server-name (66)"),
            Map.entry("boot-file-name", "BOOTP file is not configurable; use option boot-file-name (67)"),
            Map.entry("match-client-id", "Leasehold always identifies a client by option 61 when it sends one, else by its MAC"),
            Map.entry("echo-client-id", "Leasehold always echoes option 61 (RFC 6842)"),
            Map.entry("host-reservation-identifiers", "Leasehold matches reservations by MAC or client id"),
            Map.entry("reservation-mode", "Leasehold always honours reservations of the subnet"),
            Map.entry("reservations-global", "global reservations are imported into the subnet of their address"),
            Map.entry("reservations-in-subnet", "Leasehold always honours reservations of the subnet"),
            Map.entry("reservations-out-of-pool", "Leasehold always honours reservations of the subnet"),
            Map.entry("calculate-tee-times", "Leasehold sends T1 = 0.5 and T2 = 0.875 of the lease unless renew-timer / rebind-timer are set"),
            Map.entry("t1-percent", "Leasehold's T1 is 0.5 of the lease unless renew-timer is set"),
            Map.entry("t2-percent", "Leasehold's T2 is 0.875 of the lease unless rebind-timer is set"),
            Map.entry("cache-threshold", "Leasehold has no lease cache setting"),
            Map.entry("cache-max-age", "Leasehold has no lease cache setting"),
            Map.entry("store-extended-info", "Leasehold keeps relay details in its lease history"),
            Map.entry("user-context", "comments are not carried over"),
            Map.entry("comment", "comments are not carried over"),
            Map.entry("server-tag", "Leasehold has no configuration back-end"),
            Map.entry("config-control", "Leasehold has no configuration back-end"),
            Map.entry("client-class", "Leasehold does not restrict a whole subnet to a class; restrict its pools instead"),
            Map.entry("require-client-classes", "Leasehold evaluates every class; there are no required classes"),
            Map.entry("ddns-send-updates", "dynamic DNS updates are not configured by the import"),
            Map.entry("hostname-char-set", "Leasehold does not rewrite host names"),
            Map.entry("hostname-char-replacement", "Leasehold does not rewrite host names"));

    /** Kea's names of standard options where Leasehold's differ (Kea ARM, "DHCPv4 Option Definitions"). */
    private static final Map<String, String> KEA_NAMES = Map.of("v4-captive-portal", "captive-portal");

    private final String file;
    private final ImportReport report;
    private final OptionCatalog catalog = new OptionCatalog();
    private final List<DraftClass> classes = new ArrayList<>();
    private final Set<String> classNames = new HashSet<>();
    private final List<DraftSubnet> subnets = new ArrayList<>();
    private final Set<Integer> explicitIds = new HashSet<>();
    private int nextId = 1;

    private KeaConfigImporter(String file) {
        this.file = file;
        this.report = new ImportReport(file);
    }

    /**
     * Imports Kea's configuration text.
     *
     * @param file the name the report and errors use
     * @throws ImportFailedException when the text is not Kea's syntax (with the line) or no subnet maps
     */
    public static ImportedConfig importText(String text, String file) throws ImportFailedException {
        return new KeaConfigImporter(file).run(text);
    }

    private ImportedConfig run(String text) throws ImportFailedException {
        Node root = KeaJson.parse(text, file);
        if (!(root instanceof Obj top)) {
            throw ImportFailedException.at(file, root.line(), "expected an object with a \"Dhcp4\" member");
        }
        Obj dhcp4 = null;
        for (Member m : top.members().values()) {
            if (m.key().equals("Dhcp4") && m.value() instanceof Obj o) {
                dhcp4 = o;
            } else {
                report.notMapped(m.line(), "\"" + m.key() + "\"", m.key().equals("Dhcp6")
                        ? "Leasehold serves DHCPv4 only" : "only the Dhcp4 object is imported");
            }
        }
        if (dhcp4 == null) {
            throw ImportFailedException.at(file, top.line(), "no \"Dhcp4\" object: is this a kea-dhcp4 configuration?");
        }
        collectSubnetIds(dhcp4);
        List<String> interfaces = new ArrayList<>();
        boolean authoritative = false;
        List<DraftTimer> timers = new ArrayList<>();
        List<DraftOption> options = new ArrayList<>();
        List<Obj> globalReservations = new ArrayList<>();
        // Definitions and classes first: options and pools anywhere may name them.
        dhcp4.get("option-def").ifPresent(this::optionDefinitions);
        dhcp4.get("client-classes").ifPresent(this::clientClasses);
        for (Member m : dhcp4.members().values()) {
            Node v = m.value();
            switch (m.key()) {
                case "option-def", "client-classes" -> { }
                case "interfaces-config" -> interfaces.addAll(interfaces(m));
                case "authoritative" -> authoritative = v instanceof Scalar s && Boolean.TRUE.equals(s.value());
                case "valid-lifetime", "min-valid-lifetime", "max-valid-lifetime", "renew-timer", "rebind-timer" ->
                        timer(m).ifPresent(timers::add);
                case "option-data" -> optionData(v, options, timers);
                case "subnet4" -> subnetList(v, Inherited.NONE);
                case "shared-networks" -> sharedNetworks(v);
                case "reservations" -> items(v).forEach(r -> {
                    if (r instanceof Obj o) {
                        globalReservations.add(o);
                    }
                });
                default -> notCarried(m);
            }
        }
        for (Obj r : globalReservations) {
            globalReservation(r);
        }
        DraftConfig draft = new DraftConfig(interfaces, authoritative, timers, options, classes, subnets);
        return ConfigTranslation.finish(draft, "kea-config", report);
    }

    // --- top level ---

    private List<String> interfaces(Member m) {
        List<String> out = new ArrayList<>();
        if (!(m.value() instanceof Obj config)) {
            return out;
        }
        for (Member member : config.members().values()) {
            if (member.key().equals("interfaces")) {
                for (Node n : items(member.value())) {
                    String name = text(n).orElse("");
                    int slash = name.indexOf('/');
                    if (slash >= 0) {
                        report.approximated(n.line(), "\"" + name + "\"", "Leasehold listens on the whole interface "
                                + name.substring(0, slash) + ", not on one of its addresses");
                        name = name.substring(0, slash);
                    }
                    if (!name.isEmpty() && !out.contains(name)) {
                        out.add(name);
                    }
                }
            } else if (member.key().equals("dhcp-socket-type")) {
                if (text(member.value()).filter("udp"::equals).isPresent()) {
                    report.approximated(member.line(), "\"dhcp-socket-type\": \"udp\"", "Leasehold serves listed "
                            + "interfaces with its own per-interface sockets (link-layer replies as raw sockets do)");
                }
            } else {
                notCarried(member);
            }
        }
        return out;
    }

    private void notCarried(Member m) {
        String reason = NOT_CARRIED.getOrDefault(m.key(), "Leasehold has no equivalent of this setting");
        report.notMapped(m.line(), "\"" + m.key() + "\"", reason);
    }

    private Optional<DraftTimer> timer(Member m) {
        String key = switch (m.key()) {
            case "min-valid-lifetime" -> DraftTimer.MIN;
            case "max-valid-lifetime" -> DraftTimer.MAX;
            default -> m.key();
        };
        Optional<Long> seconds = number(m.value());
        if (seconds.isEmpty()) {
            report.notMapped(m.line(), "\"" + m.key() + "\"", "not a number of seconds");
            return Optional.empty();
        }
        return Optional.of(new DraftTimer(key, seconds.get(), m.line(), "\"" + m.key() + "\": " + seconds.get()));
    }

    // --- options ---

    private void optionDefinitions(Node list) {
        for (Node item : items(list)) {
            if (!(item instanceof Obj def)) {
                continue;
            }
            String name = def.get("name").flatMap(KeaConfigImporter::text).orElse("");
            Optional<Long> code = def.get("code").flatMap(KeaConfigImporter::number);
            String type = def.get("type").flatMap(KeaConfigImporter::text).orElse("");
            boolean array = def.get("array").filter(n -> n instanceof Scalar s && Boolean.TRUE.equals(s.value())).isPresent();
            String space = def.get("space").flatMap(KeaConfigImporter::text).orElse("dhcp4");
            String what = "option-def \"" + name + "\"";
            if (!space.equals("dhcp4")) {
                report.notMapped(def.line(), what, "option space \"" + space + "\": Leasehold has no vendor option "
                        + "spaces; encode the sub-options as bytes of the enclosing option (vivso-suboptions)");
                continue;
            }
            if (def.get("encapsulate").flatMap(KeaConfigImporter::text).filter(s -> !s.isEmpty()).isPresent()
                    || def.get("record-types").flatMap(KeaConfigImporter::text).filter(s -> !s.isEmpty()).isPresent()) {
                report.notMapped(def.line(), what, "encapsulated and record options have no Leasehold type; "
                        + "give their values as bytes");
                continue;
            }
            Optional<OptionType> leaseholdType = keaType(type, array);
            if (name.isEmpty() || code.isEmpty() || code.get() < 1 || code.get() > 254 || leaseholdType.isEmpty()) {
                report.notMapped(def.line(), what, "type \"" + type + "\"" + (array ? " array" : "")
                        + " has no Leasehold equivalent, or the name or code is missing");
                continue;
            }
            if (!catalog.define(name, code.get().intValue(), leaseholdType.get())) {
                report.notMapped(def.line(), what, "code " + code.get() + " has a standard definition, which Leasehold keeps");
            }
        }
    }

    /** Kea's option data types (Kea ARM "Custom DHCPv4 Options") as Leasehold types. */
    private static Optional<OptionType> keaType(String type, boolean array) {
        OptionType t = switch (type) {
            case "ipv4-address" -> array ? OptionType.IPV4_ADDRESS_LIST : OptionType.IPV4_ADDRESS;
            case "uint8" -> array ? OptionType.UINT8_LIST : OptionType.UINT8;
            case "uint16" -> array ? OptionType.UINT16_LIST : OptionType.UINT16;
            case "uint32" -> array ? null : OptionType.UINT32;
            case "int32" -> array ? null : OptionType.INT32;
            case "boolean" -> array ? null : OptionType.BOOLEAN;
            case "string" -> array ? null : OptionType.STRING;
            case "fqdn" -> array ? OptionType.DOMAIN_SEARCH_LIST : OptionType.DOMAIN_NAME;
            case "binary" -> array ? null : OptionType.BYTES;
            case "empty" -> array ? null : OptionType.EMPTY;
            default -> null;
        };
        return Optional.ofNullable(t);
    }

    /** Kea's option-data list; options 51, 58 and 59 become timers of the same level. */
    private void optionData(Node list, List<DraftOption> into, List<DraftTimer> timers) {
        for (Node item : items(list)) {
            if (item instanceof Obj o) {
                option(o).ifPresent(opt -> {
                    Optional<String> timer = OptionCatalog.timerKey(opt.code());
                    if (timer.isPresent()) {
                        try {
                            timers.add(new DraftTimer(timer.get(), Long.parseLong(opt.value().strip()), opt.line(), opt.describe()));
                        } catch (NumberFormatException e) {
                            report.notMapped(opt.line(), opt.describe(), "not a number of seconds");
                        }
                    } else if (opt.code() == OptionCode.SUBNET_MASK) {
                        report.notMapped(opt.line(), opt.describe(), "Leasehold sends the mask of the subnet's prefix");
                    } else {
                        into.add(opt);
                    }
                });
            }
        }
    }

    private Optional<DraftOption> option(Obj o) {
        Optional<String> name = o.get("name").flatMap(KeaConfigImporter::text);
        Optional<Long> code = o.get("code").flatMap(KeaConfigImporter::number);
        String space = o.get("space").flatMap(KeaConfigImporter::text).orElse("dhcp4");
        String data = o.get("data").flatMap(KeaConfigImporter::text).orElse("");
        boolean csv = o.get("csv-format").map(n -> !(n instanceof Scalar s && Boolean.FALSE.equals(s.value()))).orElse(true);
        boolean alwaysSend = o.get("always-send").filter(n -> n instanceof Scalar s && Boolean.TRUE.equals(s.value())).isPresent();
        String what = "option-data " + name.map(n -> "\"" + n + "\"").orElse(code.map(String::valueOf).orElse("?"));
        if (!space.equals("dhcp4")) {
            report.notMapped(o.line(), what, "option space \"" + space + "\": Leasehold has no vendor option spaces; "
                    + "give the whole enclosing option (vivso-suboptions, vendor-encapsulated-options) as bytes");
            return Optional.empty();
        }
        if (o.get("never-send").filter(n -> n instanceof Scalar s && Boolean.TRUE.equals(s.value())).isPresent()) {
            report.notMapped(o.line(), what, "Leasehold has no never-send; an option it is not given is not sent");
            return Optional.empty();
        }
        // Kea and Leasehold share most names; where a name is Kea's own, its code still finds the option.
        Optional<OptionDefinition> definition = name.map(n -> KEA_NAMES.getOrDefault(n, n)).flatMap(catalog::byName)
                .or(() -> code.flatMap(c -> catalog.byCode(c.intValue())));
        if (definition.isEmpty()) {
            report.notMapped(o.line(), what, "no definition of this option (define it with option-def)");
            return Optional.empty();
        }
        OptionDefinition def = definition.get();
        String value;
        try {
            value = csv ? csvValue(def.type(), data) : def.formatText(HexFormat.of().parseHex(
                    data.replaceAll("[\\s:]", "").replaceFirst("^0[xX]", "")));
        } catch (IllegalArgumentException e) {
            report.notMapped(o.line(), what, "the value cannot be read as " + def.type() + ": " + e.getMessage());
            return Optional.empty();
        }
        return Optional.of(catalog.draft(def, value, alwaysSend, o.line(), what));
    }

    /**
     * Kea's CSV form as Leasehold's text form: numbers may be written in hex ({@code 0xf0});
     * commas inside one text value are escaped ({@code \,}).
     */
    private static String csvValue(OptionType type, String data) {
        return switch (type) {
            case UINT8, UINT16, UINT32, INT32, UINT8_LIST, UINT16_LIST -> {
                List<String> numbers = new ArrayList<>();
                for (String part : data.split(",")) {
                    String p = part.strip();
                    numbers.add(p.startsWith("0x") || p.startsWith("0X") ? String.valueOf(Long.parseLong(p.substring(2), 16)) : p);
                }
                yield String.join(", ", numbers);
            }
            case STRING -> data.replace("\\,", ",");
            default -> data;
        };
    }

    // --- client classes ---

    private void clientClasses(Node list) {
        for (Node item : items(list)) {
            if (!(item instanceof Obj c)) {
                continue;
            }
            String name = c.get("name").flatMap(KeaConfigImporter::text).orElse("");
            String what = "client class \"" + name + "\"";
            Optional<String> test = c.get("test").flatMap(KeaConfigImporter::text);
            if (test.isEmpty()) {
                report.notMapped(c.line(), what, "a class without a test (assigned by reservations or hooks) "
                        + "has no Leasehold equivalent; pools restricted to it are left out too");
                continue;
            }
            Optional<Map<String, String>> match = KeaClassTest.translate(test.get());
            if (match.isEmpty()) {
                report.notMapped(c.member("test").line(), what + " test '" + test.get() + "'", "Leasehold classes test "
                        + "vendor-class prefixes, MAC prefixes, user classes and relay circuit/remote ids; "
                        + "pools restricted to this class are left out too");
                continue;
            }
            List<DraftOption> options = new ArrayList<>();
            List<DraftTimer> timers = new ArrayList<>();
            for (Member m : c.members().values()) {
                switch (m.key()) {
                    case "name", "test" -> { }
                    case "option-data" -> optionData(m.value(), options, timers);
                    default -> report.notMapped(m.line(), what + " \"" + m.key() + "\"",
                            NOT_CARRIED.getOrDefault(m.key(), "Leasehold classes hold a test and options only"));
                }
            }
            for (DraftTimer t : timers) {
                report.notMapped(t.line(), t.describe(), "Leasehold sets lease timers per subnet, not per class");
            }
            if (KeaClassTest.isApproximate(test.get())) {
                report.approximated(c.member("test").line(), what + " test '" + test.get() + "'",
                        "an equality test became a prefix test: longer values match too");
            }
            classNames.add(name);
            classes.add(new DraftClass(name, match.get(), options, c.line(), what));
        }
    }

    // --- subnets ---

    /** What a subnet takes from its shared network unless it sets it itself. */
    private record Inherited(String network, Optional<DraftInterface> interfaceName, List<DraftRelay> relays,
                             List<DraftOption> options, List<DraftTimer> timers) {
        static final Inherited NONE = new Inherited("", Optional.empty(), List.of(), List.of(), List.of());
    }

    private void sharedNetworks(Node list) {
        for (Node item : items(list)) {
            if (!(item instanceof Obj net)) {
                continue;
            }
            String name = net.get("name").flatMap(KeaConfigImporter::text).orElse("");
            String what = "shared network \"" + name + "\"";
            Optional<DraftInterface> iface = Optional.empty();
            List<DraftRelay> relays = new ArrayList<>();
            List<DraftOption> options = new ArrayList<>();
            List<DraftTimer> timers = new ArrayList<>();
            Node subnetList = null;
            for (Member m : net.members().values()) {
                switch (m.key()) {
                    case "name" -> { }
                    case "interface" -> iface = text(m.value()).map(n -> new DraftInterface(n, m.line(), what + " interface"));
                    case "relay" -> relays.addAll(relays(m));
                    case "option-data" -> optionData(m.value(), options, timers);
                    case "valid-lifetime", "min-valid-lifetime", "max-valid-lifetime", "renew-timer", "rebind-timer" ->
                            timer(m).ifPresent(timers::add);
                    case "subnet4" -> subnetList = m.value();
                    default -> report.notMapped(m.line(), what + " \"" + m.key() + "\"",
                            NOT_CARRIED.getOrDefault(m.key(), "Leasehold has no equivalent of this setting"));
                }
            }
            report.approximated(net.line(), what, "Leasehold has no shared networks: each of its subnets is imported "
                    + "as a subnet of its own with the network's settings; a client is served from the subnet "
                    + "that its relay address or arrival interface selects, and does not spill over into the "
                    + "other subnets' pools when that one is full");
            if (subnetList != null) {
                subnetList(subnetList, new Inherited(name, iface, relays, options, timers));
            }
        }
    }

    private void collectSubnetIds(Obj dhcp4) {
        List<Node> all = new ArrayList<>(items(dhcp4.get("subnet4").orElse(null)));
        for (Node net : items(dhcp4.get("shared-networks").orElse(null))) {
            if (net instanceof Obj o) {
                all.addAll(items(o.get("subnet4").orElse(null)));
            }
        }
        for (Node s : all) {
            if (s instanceof Obj o) {
                o.get("id").flatMap(KeaConfigImporter::number).ifPresent(id -> explicitIds.add(id.intValue()));
            }
        }
    }

    private void subnetList(Node list, Inherited inherited) {
        for (Node item : items(list)) {
            if (item instanceof Obj o) {
                subnet(o, inherited);
            }
        }
    }

    private void subnet(Obj s, Inherited inherited) {
        Optional<String> prefixText = s.get("subnet").flatMap(KeaConfigImporter::text);
        String what = "subnet4 " + prefixText.map(p -> "\"" + p + "\"").orElse("without \"subnet\"");
        Prefix prefix;
        try {
            prefix = Prefix.parse(prefixText.orElseThrow(() -> new IllegalArgumentException("no \"subnet\"")));
        } catch (IllegalArgumentException e) {
            report.notMapped(s.line(), what, e.getMessage());
            return;
        }
        int id;
        Optional<Long> givenId = s.get("id").flatMap(KeaConfigImporter::number);
        if (givenId.isPresent()) {
            id = givenId.get().intValue();
        } else {
            while (explicitIds.contains(nextId)) {
                nextId++;
            }
            id = nextId++;
            report.approximated(s.line(), what, "no \"id\": numbered " + id + " as Kea numbers subnets without one; "
                    + "Leasehold files leases under the id, so keep it if the subnets are ever reordered");
        }
        Optional<DraftInterface> iface = inherited.interfaceName();
        List<DraftRelay> relays = new ArrayList<>();
        List<DraftPool> pools = new ArrayList<>();
        List<DraftOption> options = new ArrayList<>();
        List<DraftTimer> timers = new ArrayList<>();
        List<DraftReservation> reservations = new ArrayList<>();
        boolean ownRelay = false;
        for (Member m : s.members().values()) {
            switch (m.key()) {
                case "subnet", "id" -> { }
                case "interface" -> iface = text(m.value()).map(n -> new DraftInterface(n, m.line(), what + " interface"));
                case "relay" -> {
                    relays.addAll(relays(m));
                    ownRelay = true;
                }
                case "pools" -> items(m.value()).forEach(p -> pool(p, prefix).ifPresent(pools::add));
                case "option-data" -> optionData(m.value(), options, timers);
                case "valid-lifetime", "min-valid-lifetime", "max-valid-lifetime", "renew-timer", "rebind-timer" ->
                        timer(m).ifPresent(timers::add);
                case "reservations" -> items(m.value()).forEach(r -> {
                    if (r instanceof Obj o) {
                        reservation(o).ifPresent(reservations::add);
                    }
                });
                default -> report.notMapped(m.line(), what + " \"" + m.key() + "\"",
                        NOT_CARRIED.getOrDefault(m.key(), "Leasehold has no equivalent of this setting"));
            }
        }
        if (!ownRelay) {
            relays.addAll(inherited.relays());
        }
        subnets.add(new DraftSubnet(id, prefix, iface, relays, pools, Inheritance.options(options, inherited.options()),
                reservations, Inheritance.timers(timers, inherited.timers()), s.line(),
                what + (inherited.network().isEmpty() ? "" : " of shared network \"" + inherited.network() + "\"")));
    }

    private List<DraftRelay> relays(Member relay) {
        List<DraftRelay> out = new ArrayList<>();
        if (!(relay.value() instanceof Obj o)) {
            return out;
        }
        List<Node> addresses = new ArrayList<>(items(o.get("ip-addresses").orElse(null)));
        o.get("ip-address").ifPresent(addresses::add);
        for (Node n : addresses) {
            String text = text(n).orElse("");
            try {
                out.add(new DraftRelay(Ipv4Address.parse(text), n.line(), "relay address \"" + text + "\""));
            } catch (IllegalArgumentException e) {
                report.notMapped(n.line(), "relay address \"" + text + "\"", e.getMessage());
            }
        }
        return out;
    }

    private Optional<DraftPool> pool(Node node, Prefix subnet) {
        if (!(node instanceof Obj p)) {
            return Optional.empty();
        }
        String text = p.get("pool").flatMap(KeaConfigImporter::text).orElse("");
        String what = "pool \"" + text + "\"";
        AddressRange range;
        try {
            range = poolRange(text);
        } catch (IllegalArgumentException e) {
            report.notMapped(p.line(), what, e.getMessage());
            return Optional.empty();
        }
        List<String> poolClasses = new ArrayList<>();
        for (Member m : p.members().values()) {
            switch (m.key()) {
                case "pool" -> { }
                case "client-class" -> {
                    String name = text(m.value()).orElse("");
                    if (!classNames.contains(name)) {
                        report.notMapped(p.line(), what, "it serves only class \"" + name + "\", which did not map "
                                + "(left out rather than served to everyone)");
                        return Optional.empty();
                    }
                    poolClasses.add(name);
                }
                default -> report.notMapped(m.line(), what + " \"" + m.key() + "\"", m.key().equals("option-data")
                        ? "Leasehold has no options per pool; set them on the subnet or a class"
                        : NOT_CARRIED.getOrDefault(m.key(), "Leasehold pools have a range and client classes only"));
            }
        }
        return Optional.of(new DraftPool(range, poolClasses, p.line(), what + " of " + subnet));
    }

    /** "first - last" or "network/length" (Kea ARM "Configuration of IPv4 Address Pools"). */
    static AddressRange poolRange(String text) {
        int dash = text.indexOf('-');
        if (dash >= 0) {
            return new AddressRange(Ipv4Address.parse(text.substring(0, dash).strip()),
                    Ipv4Address.parse(text.substring(dash + 1).strip()));
        }
        Prefix prefix = Prefix.parse(text.strip());
        return new AddressRange(prefix.network(), prefix.broadcast());
    }

    private Optional<DraftReservation> reservation(Obj r) {
        Optional<String> ip = r.get("ip-address").flatMap(KeaConfigImporter::text);
        String what = "reservation " + ip.orElse("without ip-address");
        Optional<HardwareAddress> hw = Optional.empty();
        Optional<ClientId> clientId = Optional.empty();
        String hostname = "";
        List<DraftOption> options = new ArrayList<>();
        List<DraftTimer> timers = new ArrayList<>();
        try {
            for (Member m : r.members().values()) {
                switch (m.key()) {
                    case "ip-address", "user-context", "comment" -> { }
                    case "hw-address" -> hw = Optional.of(HardwareAddress.parseEthernet(text(m.value()).orElse("")));
                    case "client-id" -> clientId = Optional.of(ClientId.parse(text(m.value()).orElse("")));
                    case "hostname" -> hostname = text(m.value()).orElse("");
                    case "option-data" -> optionData(m.value(), options, timers);
                    case "duid", "circuit-id", "flex-id" -> {
                        report.notMapped(r.line(), what, "identified by " + m.key()
                                + ": Leasehold reservations name a MAC or a client id");
                        return Optional.empty();
                    }
                    default -> report.notMapped(m.line(), what + " \"" + m.key() + "\"",
                            NOT_CARRIED.getOrDefault(m.key(), "Leasehold reservations have no such setting"));
                }
            }
        } catch (IllegalArgumentException e) {
            report.notMapped(r.line(), what, e.getMessage());
            return Optional.empty();
        }
        for (DraftTimer t : timers) {
            report.notMapped(t.line(), t.describe(), "Leasehold sets lease timers per subnet, not per reservation");
        }
        if (ip.isEmpty()) {
            report.notMapped(r.line(), what, "a reservation without an address (options or classes only) "
                    + "has no Leasehold equivalent");
            return Optional.empty();
        }
        if (hw.isPresent() && clientId.isPresent()) {
            report.approximated(r.line(), what, "it names both a MAC and a client id; only the client id is kept");
            hw = Optional.empty();
        }
        if (hw.isEmpty() && clientId.isEmpty()) {
            report.notMapped(r.line(), what, "no hw-address or client-id");
            return Optional.empty();
        }
        try {
            return Optional.of(new DraftReservation(hw, clientId, Ipv4Address.parse(ip.get()),
                    Hostnames.keep(hostname, r.line(), what, report), options, r.line(), what));
        } catch (IllegalArgumentException e) {
            report.notMapped(r.line(), what, e.getMessage());
            return Optional.empty();
        }
    }

    /** A global reservation (Kea 1.9+) goes to the subnet that holds its address. */
    private void globalReservation(Obj r) {
        reservation(r).ifPresent(res -> {
            Optional<DraftSubnet> home = subnets.stream().filter(s -> s.prefix().contains(res.address())).findFirst();
            if (home.isPresent()) {
                home.get().reservations().add(res);
            } else {
                report.notMapped(r.line(), res.describe(), "global reservation outside every subnet");
            }
        });
    }

    // --- helpers ---

    private static List<Node> items(Node node) {
        return node instanceof Arr a ? a.items() : List.of();
    }

    private static Optional<String> text(Node node) {
        return node instanceof Scalar s && s.value() instanceof String t ? Optional.of(t) : Optional.empty();
    }

    private static Optional<Long> number(Node node) {
        return node instanceof Scalar s && s.value() instanceof Long l ? Optional.of(l) : Optional.empty();
    }
}
