package dev.leasehold.migrate.config;

import dev.leasehold.config.AddressRange;
import dev.leasehold.config.Prefix;
import dev.leasehold.migrate.HexBytes;
import dev.leasehold.migrate.ImportFailedException;
import dev.leasehold.migrate.ImportReport;
import dev.leasehold.migrate.config.DhcpdSyntax.Statement;
import dev.leasehold.migrate.config.DhcpdSyntax.Token;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.OptionCode;
import dev.leasehold.wire.OptionDefinition;
import dev.leasehold.wire.OptionType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ISC dhcpd's {@code dhcpd.conf} (dhcpd.conf(5), dhcp-options(5)) → Leasehold configuration:
 * subnets with their ranges (pools), options (global, shared-network, group, subnet, class,
 * host), custom option definitions, classes whose {@code match if} is a simple prefix test,
 * hosts with a fixed address (reservations) and the lease times. dhcpd's subnets have no ids, so
 * they are numbered in file order; its lease file names no subnet, so nothing depends on that.
 * dhcpd takes its interfaces from its command line, not from the file: the caller passes them.
 */
public final class DhcpdConfigImporter {

    private static final Map<String, String> NOT_CARRIED = Map.ofEntries(
            Map.entry("ddns-update-style", "dynamic DNS updates are not configured by the import"),
            Map.entry("ddns-updates", "dynamic DNS updates are not configured by the import"),
            Map.entry("ddns-domainname", "dynamic DNS updates are not configured by the import"),
            Map.entry("update-static-leases", "dynamic DNS updates are not configured by the import"),
            Map.entry("log-facility", "Leasehold logs to standard error (LEASEHOLD_LOG_LEVEL)"),
            Map.entry("lease-file-name", "Leasehold keeps leases in its data-directory; import them with `leasehold import dhcpd-leases`"),
            Map.entry("pid-file-name", "systemd tracks Leasehold's process"),
            Map.entry("failover", "Leasehold has no dhcpd failover; several servers share a PostgreSQL store instead"),
            Map.entry("next-server", "BOOTP siaddr is not configurable; use option tftp-server-name (66)"),
            Map.entry("filename", "BOOTP file is not configurable; use option boot-file-name (67)"),
            Map.entry("server-name", "BOOTP sname is not configurable; use option tftp-server-name (66)"),
            Map.entry("server-identifier", "Leasehold sends its own address as server identifier"),
            Map.entry("ping-check", "set ping-check (a duration, off by default) by hand"),
            Map.entry("one-lease-per-client", "Leasehold keeps one active lease per client and subnet"),
            Map.entry("use-host-decl-names", "a reservation's hostname is sent as option 12 when given"),
            Map.entry("get-lease-hostnames", "Leasehold does not look up host names"),
            Map.entry("ignore", "Leasehold has no ignore/deny of clients; see client classes"),
            Map.entry("deny", "Leasehold has no ignore/deny of clients; see client classes"),
            Map.entry("allow", "Leasehold has no allow/deny of clients; see client classes"),
            Map.entry("key", "Leasehold's TSIG keys belong to the DNS update settings"),
            Map.entry("zone", "dynamic DNS updates are not configured by the import"),
            Map.entry("include", "include files are not followed; import the included file's statements in place"));

    /** dhcpd's names of standard options where they differ from Leasehold's (which follow Kea). */
    private static final Map<String, String> NAMES = Map.of(
            "bootfile-name", "boot-file-name",
            "pxe-system-type", "client-system",
            "pxe-interface-id", "client-ndi",
            "pxe-client-id", "uuid-guid",
            "default-url", "captive-portal");

    private final String file;
    private final ImportReport report;
    private final OptionCatalog catalog = new OptionCatalog();
    private final List<DraftClass> classes = new ArrayList<>();
    private final List<DraftSubnet> subnets = new ArrayList<>();
    private final List<DraftTimer> timers = new ArrayList<>();
    private final List<DraftOption> options = new ArrayList<>();
    private final List<PendingHost> hosts = new ArrayList<>();
    /** Site names of standard codes, with the type the file declares for their values. */
    private final Map<String, OptionDefinition> aliases = new LinkedHashMap<>();
    private boolean authoritative;

    /** A host whose subnet is known only once every subnet is read. */
    private record PendingHost(DraftReservation reservation, Statement statement) {
    }

    /** Settings a block passes down to the subnets and hosts inside it. */
    private record Scope(String network, Optional<DraftInterface> interfaceName, List<DraftOption> options,
                         List<DraftTimer> timers) {
        static final Scope GLOBAL = new Scope("", Optional.empty(), List.of(), List.of());
    }

    private DhcpdConfigImporter(String file) {
        this.file = file;
        this.report = new ImportReport(file);
    }

    /**
     * @param interfaces the interfaces dhcpd was started on (its command line, or INTERFACESv4 in
     *        /etc/default/isc-dhcp-server); empty to serve relayed traffic only
     */
    public static ImportedConfig importText(String text, String file, List<String> interfaces)
            throws ImportFailedException {
        return new DhcpdConfigImporter(file).run(DhcpdSyntax.parse(text, file), interfaces);
    }

    private ImportedConfig run(List<Statement> statements, List<String> interfaces) throws ImportFailedException {
        // Option definitions and classes first: dhcpd allows them anywhere before use, and so do we.
        for (Statement s : statements) {
            if (s.keyword().equals("option") && isDefinition(s)) {
                define(s);
            } else if (s.keyword().equals("class") && s.block().isPresent()) {
                clientClass(s);
            }
        }
        block(statements, Scope.GLOBAL, true);
        for (PendingHost host : hosts) {
            Optional<DraftSubnet> home = subnets.stream()
                    .filter(s -> s.prefix().contains(host.reservation().address())).findFirst();
            if (home.isPresent()) {
                home.get().reservations().add(host.reservation());
            } else {
                report.notMapped(host.statement().line(), host.reservation().describe(),
                        "its fixed-address lies outside every subnet");
            }
        }
        DraftConfig draft = new DraftConfig(interfaces, authoritative, timers, options, classes, subnets);
        return ConfigTranslation.finish(draft, "dhcpd-config", report);
    }

    /** The statements of the file or of a group/shared-network block. */
    private void block(List<Statement> statements, Scope scope, boolean global) {
        List<DraftOption> scopeOptions = new ArrayList<>(scope.options());
        List<DraftTimer> scopeTimers = new ArrayList<>(scope.timers());
        Optional<DraftInterface> iface = scope.interfaceName();
        List<Statement> nested = new ArrayList<>();
        for (Statement s : statements) {
            String k = s.keyword().toLowerCase();
            if (s.block().isPresent() && !k.equals("class")) {
                nested.add(s);
                continue;
            }
            switch (k) {
                case "option" -> {
                    if (!isDefinition(s)) {
                        option(s).ifPresent(o -> addOption(o, global ? options : scopeOptions, global ? timers : scopeTimers));
                    }
                }
                case "default-lease-time", "max-lease-time", "min-lease-time" ->
                        leaseTime(s).ifPresent(global ? timers::add : scopeTimers::add);
                case "authoritative" -> {
                    if (global) {
                        authoritative = true;
                    } else {
                        report.approximated(s.line(), s.describe(), "Leasehold's authoritative is server-wide; set it by hand");
                    }
                }
                case "not" -> report.notMapped(s.line(), s.describe(), "Leasehold is not authoritative unless told so");
                case "interface" -> iface = word(s, 1).map(n -> new DraftInterface(n, s.line(), s.describe()));
                case "class" -> { }
                case "subclass" -> report.notMapped(s.line(), s.describe(), "subclasses (match by a spawned value) "
                        + "have no Leasehold equivalent; write one class with a prefix test per value");
                default -> notCarried(s);
            }
        }
        Scope inner = new Scope(scope.network(), iface, scopeOptions, scopeTimers);
        for (Statement s : nested) {
            switch (s.keyword().toLowerCase()) {
                case "subnet" -> subnet(s, inner);
                case "shared-network" -> {
                    String name = word(s, 1).orElse("");
                    report.approximated(s.line(), "shared-network " + name, "Leasehold has no shared networks: each "
                            + "of its subnets is imported as a subnet of its own with the network's settings; a "
                            + "client is served from the subnet that its relay address or arrival interface "
                            + "selects, and does not spill over into the other subnets' ranges");
                    block(s.block().orElseThrow(), new Scope(name, iface, scopeOptions, scopeTimers), false);
                }
                case "group" -> block(s.block().orElseThrow(), inner, false);
                case "host" -> host(s, inner);
                case "pool" -> report.notMapped(s.line(), s.describe(), "a pool outside a subnet declaration");
                default -> report.notMapped(s.line(), s.describe() + " { … }", "Leasehold has no equivalent of this block");
            }
        }
    }

    private void notCarried(Statement s) {
        report.notMapped(s.line(), s.describe(), NOT_CARRIED.getOrDefault(s.keyword().toLowerCase(),
                "Leasehold has no equivalent of this statement"));
    }

    private Optional<DraftTimer> leaseTime(Statement s) {
        String key = switch (s.keyword().toLowerCase()) {
            case "default-lease-time" -> DraftTimer.VALID;
            case "max-lease-time" -> DraftTimer.MAX;
            default -> DraftTimer.MIN;
        };
        Optional<Long> seconds = word(s, 1).flatMap(DhcpdConfigImporter::number);
        if (seconds.isEmpty() || s.words().size() != 2) {
            report.notMapped(s.line(), s.describe(), "not a number of seconds");
            return Optional.empty();
        }
        return Optional.of(new DraftTimer(key, seconds.get(), s.line(), s.describe()));
    }

    // --- options ---

    private static boolean isDefinition(Statement s) {
        return s.words().size() >= 5 && s.words().get(2).is("code") && s.words().get(4).is("=");
    }

    /** {@code option NAME code N = TYPE;} (dhcp-options(5), "Defining new options"). */
    private void define(Statement s) {
        String name = s.words().get(1).text();
        Optional<Long> code = number(s.words().get(3).text());
        List<String> typeWords = s.words().subList(5, s.words().size()).stream().map(Token::text).toList();
        Optional<OptionType> type = dhcpdType(String.join(" ", typeWords));
        if (name.contains(".")) {
            report.notMapped(s.line(), s.describe(), "options of a vendor option space have no Leasehold "
                    + "equivalent; give the enclosing option's value as bytes");
        } else if (code.isEmpty() || code.get() < 1 || code.get() > 254 || type.isEmpty()) {
            report.notMapped(s.line(), s.describe(), "this type has no Leasehold equivalent (records and "
                    + "encapsulations are not mapped; give the value as bytes)");
        } else if (!catalog.define(name, code.get().intValue(), type.get())) {
            // A standard code under a site name (Debian's rfc3442-classless-static-routes): its
            // values are read with the declared type and written with the standard one.
            aliases.put(name, new OptionDefinition(code.get().intValue(), name, type.get()));
        }
    }

    private static Optional<OptionType> dhcpdType(String type) {
        return Optional.ofNullable(switch (type.replaceAll("\\s+", " ").toLowerCase()) {
            case "ip-address" -> OptionType.IPV4_ADDRESS;
            case "array of ip-address" -> OptionType.IPV4_ADDRESS_LIST;
            case "unsigned integer 8" -> OptionType.UINT8;
            case "array of unsigned integer 8", "array of integer 8" -> OptionType.UINT8_LIST;
            case "unsigned integer 16" -> OptionType.UINT16;
            case "array of unsigned integer 16" -> OptionType.UINT16_LIST;
            case "unsigned integer 32" -> OptionType.UINT32;
            case "signed integer 32", "integer 32" -> OptionType.INT32;
            case "boolean" -> OptionType.BOOLEAN;
            case "text" -> OptionType.STRING;
            case "string" -> OptionType.BYTES;
            case "domain-name" -> OptionType.DOMAIN_NAME;
            case "domain-list", "domain-list compressed" -> OptionType.DOMAIN_SEARCH_LIST;
            default -> null;
        });
    }

    private void addOption(DraftOption o, List<DraftOption> into, List<DraftTimer> timerInto) {
        Optional<String> timer = OptionCatalog.timerKey(o.code());
        if (timer.isPresent()) {
            number(o.value()).ifPresentOrElse(
                    seconds -> timerInto.add(new DraftTimer(timer.get(), seconds, o.line(), o.describe())),
                    () -> report.notMapped(o.line(), o.describe(), "not a number of seconds"));
        } else if (o.code() == OptionCode.SUBNET_MASK) {
            report.notMapped(o.line(), o.describe(), "Leasehold sends the mask of the subnet's prefix");
        } else {
            into.add(o);
        }
    }

    /** {@code option NAME VALUE[, VALUE…];} with its value converted to Leasehold's text form. */
    private Optional<DraftOption> option(Statement s) {
        if (s.words().size() < 2) {
            report.notMapped(s.line(), s.describe(), "an option statement without a name");
            return Optional.empty();
        }
        String name = s.words().get(1).text();
        List<Token> value = s.words().subList(2, s.words().size());
        String leaseholdName = NAMES.getOrDefault(name, name);
        Optional<OptionDefinition> alias = Optional.ofNullable(aliases.get(name));
        Optional<OptionDefinition> definition = alias.isPresent() ? catalog.byCode(alias.get().code())
                : catalog.byName(leaseholdName);
        if (definition.isEmpty()) {
            report.notMapped(s.line(), s.describe(), name.contains(".")
                    ? "options of other option spaces (agent., fqdn., vendor spaces) have no Leasehold equivalent"
                    : "no definition of option '" + name + "' (define it with option " + name + " code N = TYPE)");
            return Optional.empty();
        }
        OptionType readAs = alias.map(OptionDefinition::type).orElse(definition.get().type());
        try {
            String text = valueText(readAs, value);
            if (alias.isPresent() || readAs != definition.get().type()) {
                text = definition.get().formatText(readAs.parseText(text));
            }
            return Optional.of(catalog.draft(definition.get(), text, false, s.line(), s.describe()));
        } catch (IllegalArgumentException e) {
            report.notMapped(s.line(), s.describe(), "the value cannot be read as " + readAs + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private static final Pattern HEX_BYTES = Pattern.compile("[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2})*");

    /** dhcpd's value tokens as the text form of {@code type}: lists comma-joined, hex strings decoded. */
    private static String valueText(OptionType type, List<Token> value) {
        List<String> items = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (Token t : value) {
            if (!t.quoted() && t.text().equals(",")) {
                items.add(current.toString());
                current.setLength(0);
            } else {
                if (!current.isEmpty()) {
                    current.append(' ');
                }
                current.append(item(type, t));
            }
        }
        items.add(current.toString());
        if (type == OptionType.IPV4_ADDRESS || type == OptionType.IPV4_ADDRESS_LIST) {
            for (String item : items) {
                Ipv4Address.parse(item.strip()); // a host name would need DNS at dhcpd's start
            }
        }
        return String.join(", ", items);
    }

    private static String item(OptionType type, Token t) {
        boolean textual = type == OptionType.STRING || type == OptionType.DOMAIN_NAME
                || type == OptionType.DOMAIN_SEARCH_LIST;
        if (t.quoted()) {
            return type == OptionType.BYTES ? HexFormat.ofDelimiter(":").formatHex(t.text().getBytes(StandardCharsets.ISO_8859_1)) : t.text();
        }
        if (textual && HEX_BYTES.matcher(t.text()).matches() && t.text().contains(":")) {
            return new String(hex(t.text()), StandardCharsets.ISO_8859_1);
        }
        if (type == OptionType.BOOLEAN) {
            return switch (t.text().toLowerCase()) {
                case "on", "true" -> "true";
                case "off", "false" -> "false";
                default -> t.text();
            };
        }
        if (type == OptionType.BYTES && HEX_BYTES.matcher(t.text()).matches()) {
            return HexFormat.ofDelimiter(":").formatHex(hex(t.text()));
        }
        return t.text();
    }

    private static byte[] hex(String colonHex) {
        String[] parts = colonHex.split(":");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    // --- classes ---

    private static final String VALUE = "(\"(?<text>[^\"]*)\"|(?<hex>[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2})*))";
    private static final Pattern VENDOR_PREFIX = Pattern.compile(
            "substring\\(optionvendor-class-identifier,0,(?<n>\\d+)\\)=" + VALUE);
    private static final Pattern VENDOR_EQUALS = Pattern.compile("optionvendor-class-identifier=" + VALUE);
    private static final Pattern MAC_PREFIX = Pattern.compile("substring\\(hardware,1,(?<n>\\d+)\\)=" + VALUE);
    private static final Pattern AGENT = Pattern.compile("optionagent\\.(?<sub>circuit-id|remote-id)=" + VALUE);

    /** {@code class "name" { match if …; option …; }} with a test Leasehold can express. */
    private void clientClass(Statement s) {
        String name = word(s, 1).orElse("");
        String what = "class \"" + name + "\"";
        Map<String, String> match = new LinkedHashMap<>();
        boolean approximate = false;
        List<DraftOption> classOptions = new ArrayList<>();
        List<DraftTimer> classTimers = new ArrayList<>();
        Statement matchStatement = null;
        for (Statement inner : s.block().orElseThrow()) {
            switch (inner.keyword().toLowerCase()) {
                case "match" -> matchStatement = inner;
                case "option" -> option(inner).ifPresent(o -> addOption(o, classOptions, classTimers));
                default -> report.notMapped(inner.line(), what + " " + inner.describe(), "Leasehold classes hold a test and options only");
            }
        }
        if (matchStatement == null || !matchStatement.words().get(1).is("if")) {
            report.notMapped(s.line(), what, "a class without 'match if' (filled by subclasses or hosts) has no "
                    + "Leasehold equivalent; ranges that allow only its members are left out too");
            return;
        }
        String expression = matchStatement.words().subList(2, matchStatement.words().size()).stream()
                .map(t -> t.quoted() ? "\"" + t.text() + "\"" : t.text()).reduce("", (a, b) -> a + " " + b);
        for (String part : expression.split("\\s+and\\s+")) {
            String t = part.replaceAll("\\s+", "");
            while (t.startsWith("(") && t.endsWith(")") && !t.startsWith("(substring")) {
                t = t.substring(1, t.length() - 1);
            }
            Matcher m;
            String key;
            if ((m = VENDOR_PREFIX.matcher(t)).matches()) {
                key = "vendor-class-prefix";
            } else if ((m = VENDOR_EQUALS.matcher(t)).matches()) {
                key = "vendor-class-prefix";
                approximate = true;
            } else if ((m = MAC_PREFIX.matcher(t)).matches()) {
                key = "mac-prefix";
            } else if ((m = AGENT.matcher(t)).matches()) {
                key = m.group("sub");
            } else {
                match.clear();
                break;
            }
            String value = m.group("text") != null ? m.group("text")
                    : (key.equals("mac-prefix") ? m.group("hex") : "0x" + m.group("hex").replace(":", ""));
            if (key.equals("mac-prefix") && m.group("hex") == null) {
                match.clear();
                break;
            }
            match.put(key, value);
        }
        if (match.isEmpty()) {
            report.notMapped(matchStatement.line(), what + " " + matchStatement.describe(), "Leasehold classes test "
                    + "vendor-class prefixes, MAC prefixes, user classes and relay circuit/remote ids; ranges "
                    + "that allow only its members are left out too");
            return;
        }
        if (approximate) {
            report.approximated(matchStatement.line(), what + " " + matchStatement.describe(),
                    "an equality test became a prefix test: longer values match too");
        }
        for (DraftTimer t : classTimers) {
            report.notMapped(t.line(), t.describe(), "Leasehold sets lease timers per subnet, not per class");
        }
        classes.add(new DraftClass(name, match, classOptions, s.line(), what));
    }

    // --- subnets, pools, hosts ---

    private void subnet(Statement s, Scope scope) {
        String what = s.describe();
        Prefix prefix;
        try {
            if (s.words().size() != 4 || !s.words().get(2).is("netmask")) {
                throw new IllegalArgumentException("expected 'subnet ADDRESS netmask MASK'");
            }
            Ipv4Address mask = Ipv4Address.parse(s.words().get(3).text());
            int length = Integer.bitCount(mask.bits());
            if (Prefix.mask(length) != mask.bits()) {
                throw new IllegalArgumentException("not a contiguous netmask: " + mask);
            }
            prefix = new Prefix(Ipv4Address.parse(s.words().get(1).text()), length);
        } catch (IllegalArgumentException e) {
            report.notMapped(s.line(), what, e.getMessage());
            return;
        }
        Optional<DraftInterface> iface = scope.interfaceName();
        List<DraftPool> pools = new ArrayList<>();
        List<DraftOption> own = new ArrayList<>();
        List<DraftTimer> ownTimers = new ArrayList<>();
        List<DraftReservation> reservations = new ArrayList<>();
        List<Statement> hostStatements = new ArrayList<>();
        for (Statement inner : s.block().orElseThrow()) {
            switch (inner.keyword().toLowerCase()) {
                case "range" -> range(inner, List.of(), prefix).ifPresent(pools::add);
                case "pool" -> pool(inner, prefix, pools, own, ownTimers);
                case "option" -> option(inner).ifPresent(o -> addOption(o, own, ownTimers));
                case "default-lease-time", "max-lease-time", "min-lease-time" -> leaseTime(inner).ifPresent(ownTimers::add);
                case "interface" -> iface = word(inner, 1).map(n -> new DraftInterface(n, inner.line(), inner.describe()));
                case "host" -> hostStatements.add(inner);
                case "authoritative" -> report.approximated(inner.line(), inner.describe(),
                        "Leasehold's authoritative is server-wide; set it by hand");
                default -> notCarried(inner);
            }
        }
        subnets.add(new DraftSubnet(subnets.size() + 1, prefix, iface, new ArrayList<>(), pools,
                Inheritance.options(own, scope.options()), reservations, Inheritance.timers(ownTimers, scope.timers()),
                s.line(), what + (scope.network().isEmpty() ? ""
                : " of shared-network " + scope.network())));
        for (Statement host : hostStatements) {
            host(host, new Scope(scope.network(), iface, List.of(), List.of()));
        }
    }

    /** {@code range [dynamic-bootp] LOW [HIGH];} */
    private Optional<DraftPool> range(Statement s, List<String> poolClasses, Prefix prefix) {
        List<Token> words = new ArrayList<>(s.words().subList(1, s.words().size()));
        if (!words.isEmpty() && words.getFirst().is("dynamic-bootp")) {
            report.approximated(s.line(), s.describe(), "Leasehold answers DHCP clients only, not BOOTP");
            words.removeFirst();
        }
        try {
            if (words.isEmpty() || words.size() > 2) {
                throw new IllegalArgumentException("expected 'range LOW [HIGH]'");
            }
            Ipv4Address low = Ipv4Address.parse(words.getFirst().text());
            Ipv4Address high = words.size() == 2 ? Ipv4Address.parse(words.get(1).text()) : low;
            // dhcpd accepts the two ends in either order.
            AddressRange range = low.compareTo(high) <= 0 ? new AddressRange(low, high) : new AddressRange(high, low);
            return Optional.of(new DraftPool(range, poolClasses, s.line(), s.describe() + " in " + prefix));
        } catch (IllegalArgumentException e) {
            report.notMapped(s.line(), s.describe(), e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code pool { range …; allow members of "x"; }} */
    private void pool(Statement s, Prefix prefix, List<DraftPool> pools, List<DraftOption> subnetOptions,
                      List<DraftTimer> subnetTimers) {
        List<String> members = new ArrayList<>();
        List<Statement> ranges = new ArrayList<>();
        String refusal = null;
        for (Statement inner : s.block().orElseThrow()) {
            String k = inner.keyword().toLowerCase();
            String d = inner.describe().toLowerCase().replaceAll("\\s+", " ");
            if (k.equals("range")) {
                ranges.add(inner);
            } else if (d.startsWith("allow members of ")) {
                String name = inner.words().getLast().text();
                if (classes.stream().anyMatch(c -> c.name().equals(name))) {
                    members.add(name);
                } else {
                    refusal = "it allows only class \"" + name + "\", which did not map (left out rather than served to everyone)";
                }
            } else if (d.equals("allow unknown-clients")) {
                // dhcpd's default: everyone may use the range.
            } else if (k.equals("allow") || k.equals("deny") || k.equals("ignore")) {
                refusal = "'" + inner.describe() + "' restricts who may use it, which Leasehold cannot express "
                        + "(left out rather than served to everyone)";
            } else if (k.equals("option") || k.endsWith("-lease-time")) {
                report.notMapped(inner.line(), inner.describe(), "Leasehold has no options or lease times per pool; "
                        + "set them on the subnet or a class");
            } else {
                notCarried(inner);
            }
        }
        for (Statement r : ranges) {
            if (refusal != null) {
                report.notMapped(r.line(), r.describe(), refusal);
            } else {
                range(r, members, prefix).ifPresent(pools::add);
            }
        }
    }

    /** {@code host NAME { hardware ethernet …; fixed-address …; }} → a reservation, filed once subnets are known. */
    private void host(Statement s, Scope scope) {
        String what = "host " + word(s, 1).orElse("");
        Optional<HardwareAddress> hw = Optional.empty();
        Optional<ClientId> clientId = Optional.empty();
        Optional<Ipv4Address> address = Optional.empty();
        String hostname = "";
        List<DraftOption> hostOptions = new ArrayList<>(scope.options());
        List<DraftTimer> hostTimers = new ArrayList<>();
        try {
            for (Statement inner : s.block().orElseThrow()) {
                String k = inner.keyword().toLowerCase();
                if (k.equals("hardware")) {
                    if (!inner.words().get(1).is("ethernet")) {
                        throw new IllegalArgumentException("hardware type " + inner.words().get(1).text()
                                + ": Leasehold reservations name Ethernet MACs");
                    }
                    hw = Optional.of(HardwareAddress.parseEthernet(inner.words().get(2).text()));
                } else if (k.equals("fixed-address")) {
                    if (inner.words().size() > 2) {
                        report.approximated(inner.line(), inner.describe(), "Leasehold reserves one address per "
                                + "client and subnet; each is kept in the subnet that holds it, the first wins");
                    }
                    address = Optional.of(Ipv4Address.parse(inner.words().get(1).text()));
                } else if (k.equals("option") && inner.words().size() > 2
                        && inner.words().get(1).text().equals("dhcp-client-identifier")) {
                    Token v = inner.words().get(2);
                    clientId = Optional.of(v.quoted()
                            ? new ClientId(v.text().getBytes(StandardCharsets.ISO_8859_1))
                            : new ClientId(HexBytes.parse(v.text())));
                } else if (k.equals("option") && inner.words().size() > 2 && inner.words().get(1).text().equals("host-name")) {
                    hostname = inner.words().get(2).text();
                } else if (k.equals("option")) {
                    if (!isDefinition(inner)) {
                        option(inner).ifPresent(o -> addOption(o, hostOptions, hostTimers));
                    }
                } else if (k.equals("ddns-hostname")) {
                    hostname = inner.words().get(1).text();
                } else {
                    notCarried(inner);
                }
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            report.notMapped(s.line(), what, e.getMessage() == null ? "malformed host declaration" : e.getMessage());
            return;
        }
        for (DraftTimer t : hostTimers) {
            report.notMapped(t.line(), t.describe(), "Leasehold sets lease timers per subnet, not per host");
        }
        if (address.isEmpty()) {
            report.notMapped(s.line(), what, "a host without fixed-address only makes a client known to dhcpd; "
                    + "Leasehold has no known/unknown clients");
            return;
        }
        if (hw.isPresent() && clientId.isPresent()) {
            report.approximated(s.line(), what, "it names both a MAC and a client id; only the client id is kept");
            hw = Optional.empty();
        }
        if (hw.isEmpty() && clientId.isEmpty()) {
            report.notMapped(s.line(), what, "no hardware ethernet or dhcp-client-identifier");
            return;
        }
        DraftReservation reservation = new DraftReservation(hw, clientId, address.get(),
                Hostnames.keep(hostname, s.line(), what, report), hostOptions, s.line(), what);
        hosts.add(new PendingHost(reservation, s));
    }

    private static Optional<String> word(Statement s, int index) {
        return s.words().size() > index ? Optional.of(s.words().get(index).text()) : Optional.empty();
    }

    private static Optional<Long> number(String text) {
        try {
            return Optional.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
