package dev.leasehold.migrate.config;

import dev.leasehold.config.AddressRange;
import dev.leasehold.config.Prefix;
import dev.leasehold.migrate.ImportFailedException;
import dev.leasehold.migrate.ImportReport;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.OptionCode;
import dev.leasehold.wire.OptionDefinition;
import dev.leasehold.wire.OptionType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * dnsmasq's {@code dnsmasq.conf} (dnsmasq(8), one long option per line without its {@code --})
 * → Leasehold configuration: {@code dhcp-range} (a subnet per netmask, a pool per range, the
 * lease time), {@code dhcp-option}/{@code dhcp-option-force} (global, per range tag, per class
 * tag), {@code dhcp-host} with an address (reservations), the tag-setting matchers that are
 * prefix or equality tests ({@code dhcp-vendorclass}, {@code dhcp-userclass}, {@code dhcp-mac},
 * {@code dhcp-circuitid}, {@code dhcp-remoteid}) as classes, {@code interface},
 * {@code dhcp-authoritative} and {@code domain}. The DNS, TFTP and router-advertisement settings
 * are not the DHCP server's and are reported.
 */
public final class DnsmasqConfigImporter {

    /** dnsmasq's option names (its {@code --help dhcp} table) and their codes. */
    private static final Map<String, Integer> OPTION_NAMES = Map.ofEntries(
            Map.entry("netmask", 1), Map.entry("time-offset", 2), Map.entry("router", 3), Map.entry("dns-server", 6),
            Map.entry("log-server", 7), Map.entry("lpr-server", 9), Map.entry("hostname", 12),
            Map.entry("boot-file-size", 13), Map.entry("domain-name", 15), Map.entry("swap-server", 16),
            Map.entry("root-path", 17), Map.entry("extension-path", 18), Map.entry("ip-forward-enable", 19),
            Map.entry("non-local-source-routing", 20), Map.entry("policy-filter", 21),
            Map.entry("max-datagram-reassembly", 22), Map.entry("default-ttl", 23), Map.entry("mtu", 26),
            Map.entry("all-subnets-local", 27), Map.entry("broadcast", 28), Map.entry("router-discovery", 31),
            Map.entry("router-solicitation", 32), Map.entry("static-route", 33),
            Map.entry("trailer-encapsulation", 34), Map.entry("arp-timeout", 35), Map.entry("ethernet-encap", 36),
            Map.entry("tcp-ttl", 37), Map.entry("tcp-keepalive", 38), Map.entry("nis-domain", 40),
            Map.entry("nis-server", 41), Map.entry("ntp-server", 42), Map.entry("vendor-encap", 43),
            Map.entry("netbios-ns", 44), Map.entry("netbios-dd", 45), Map.entry("netbios-nodetype", 46),
            Map.entry("netbios-scope", 47), Map.entry("x-windows-fs", 48), Map.entry("x-windows-dm", 49),
            Map.entry("lease-time", 51), Map.entry("server-identifier", 54), Map.entry("message", 56),
            Map.entry("T1", 58), Map.entry("T2", 59), Map.entry("vendor-class", 60), Map.entry("client-id", 61),
            Map.entry("nis+-domain", 64), Map.entry("nis+-server", 65), Map.entry("tftp-server", 66),
            Map.entry("bootfile-name", 67), Map.entry("mobile-ip-home", 68), Map.entry("smtp-server", 69),
            Map.entry("pop3-server", 70), Map.entry("nntp-server", 71), Map.entry("irc-server", 74),
            Map.entry("user-class", 77), Map.entry("rapid-commit", 80), Map.entry("client-arch", 93),
            Map.entry("client-interface-id", 94), Map.entry("client-machine-id", 97),
            Map.entry("subnet-select", 118), Map.entry("domain-search", 119),
            Map.entry("classless-static-route", 121), Map.entry("vendor-id-encap", 125));

    private static final Map<String, String> NOT_CARRIED = Map.ofEntries(
            Map.entry("dhcp-leasefile", "Leasehold keeps leases in its data-directory; import them with `leasehold import dnsmasq-leases`"),
            Map.entry("dhcp-lease-max", "Leasehold's limit is the size of its pools"),
            Map.entry("dhcp-script", "Leasehold has no lease scripts; its lease event log and control API tell of every lease"),
            Map.entry("dhcp-boot", "BOOTP file/sname/siaddr are not configurable; use options boot-file-name (67) and tftp-server-name (66)"),
            Map.entry("enable-tftp", "Leasehold has no TFTP server"),
            Map.entry("tftp-root", "Leasehold has no TFTP server"),
            Map.entry("dhcp-relay", "Leasehold is a server, not a relay"),
            Map.entry("conf-file", "include files are not followed; import each file on its own"),
            Map.entry("conf-dir", "include directories are not followed; import each file on its own"),
            Map.entry("dhcp-ignore", "Leasehold has no ignore rules"),
            Map.entry("dhcp-rapid-commit", "set rapid-commit: true on the subnets by hand"),
            Map.entry("enable-ra", "Leasehold serves DHCPv4 only"),
            Map.entry("log-dhcp", "LEASEHOLD_LOG_LEVEL=debug logs every decision"),
            Map.entry("log-facility", "Leasehold logs to standard error"),
            Map.entry("user", "systemd runs Leasehold as its own user"),
            Map.entry("group", "systemd runs Leasehold as its own user"),
            Map.entry("pid-file", "systemd tracks Leasehold's process"),
            Map.entry("bind-interfaces", "Leasehold binds one socket per listed interface"),
            Map.entry("bind-dynamic", "Leasehold picks up interfaces that appear later by itself"),
            Map.entry("keep-in-foreground", "Leasehold runs in the foreground under systemd"),
            Map.entry("dhcp-no-override", "BOOTP file/sname are not used"),
            Map.entry("read-ethers", "/etc/ethers is not read; write reservations instead"));

    /** DNS-only settings: not the DHCP server's business. */
    private static final Pattern DNS_SETTING = Pattern.compile("port|server|local|address|no-resolv|no-hosts|"
            + "addn-hosts|expand-hosts|domain-needed|bogus-priv|cache-size|resolv-file|strict-order|no-poll|"
            + "listen-address|except-interface|no-dhcp-interface|cname|mx-host|srv-host|txt-record|ptr-record|"
            + "host-record|dnssec|trust-anchor|all-servers|stop-dns-rebind|rebind-.*|filterwin2k|no-negcache|"
            + "neg-ttl|local-ttl|auth-.*|log-queries|log-async|dns-forward-max|query-port|min-port|max-port");

    private final String file;
    private final ImportReport report;
    private final OptionCatalog catalog = new OptionCatalog();
    private final List<String> interfaces = new ArrayList<>();
    private final List<DraftOption> globalOptions = new ArrayList<>();
    private final List<DraftTimer> globalTimers = new ArrayList<>();
    private final Map<String, Prefix> rangeTags = new HashMap<>();
    private final Map<Prefix, SubnetParts> subnets = new LinkedHashMap<>();
    private final Map<String, ClassParts> classes = new LinkedHashMap<>();
    private final List<Line> deferred = new ArrayList<>();
    private boolean authoritative;
    private Optional<Line> domain = Optional.empty();

    private record Line(int number, String key, String value) {
        String describe() {
            return value.isEmpty() ? key : key + "=" + value;
        }
    }

    private record SubnetParts(int id, int line, List<DraftPool> pools, List<DraftOption> options,
                               List<DraftReservation> reservations, List<DraftTimer> timers) {
    }

    private record ClassParts(int line, Map<String, String> match, List<DraftOption> options, String describe) {
    }

    private DnsmasqConfigImporter(String file) {
        this.file = file;
        this.report = new ImportReport(file);
    }

    public static ImportedConfig importText(String text, String file) throws ImportFailedException {
        return new DnsmasqConfigImporter(file).run(text);
    }

    private ImportedConfig run(String text) throws ImportFailedException {
        List<Line> lines = lines(text);
        // Ranges and tag-setting matchers first: options and hosts refer to their tags and subnets.
        for (Line l : lines) {
            switch (l.key()) {
                case "dhcp-range" -> range(l);
                case "dhcp-vendorclass", "dhcp-userclass", "dhcp-mac", "dhcp-circuitid", "dhcp-remoteid" -> matcher(l);
                default -> deferred.add(l);
            }
        }
        for (Line l : deferred) {
            switch (l.key()) {
                case "dhcp-option", "dhcp-option-force" -> option(l);
                case "dhcp-host" -> host(l);
                case "interface" -> {
                    for (String name : l.value().split(",")) {
                        if (!name.isBlank() && !interfaces.contains(name.strip())) {
                            interfaces.add(name.strip());
                        }
                    }
                }
                case "dhcp-authoritative" -> authoritative = true;
                case "domain" -> domainLine(l);
                default -> {
                    String reason = NOT_CARRIED.get(l.key());
                    if (reason == null && DNS_SETTING.matcher(l.key()).matches()) {
                        reason = "a DNS setting; Leasehold is a DHCP server only";
                    }
                    report.notMapped(l.number(), l.describe(), reason == null ? "Leasehold has no equivalent of this option" : reason);
                }
            }
        }
        domain.ifPresent(d -> {
            if (globalOptions.stream().noneMatch(o -> o.code() == 15)) {
                catalog.byCode(15).ifPresent(def -> globalOptions.add(
                        catalog.draft(def, d.value(), false, d.number(), d.describe())));
            }
        });
        List<DraftClass> draftClasses = new ArrayList<>();
        classes.forEach((tag, c) -> draftClasses.add(new DraftClass(tag, c.match(), c.options(), c.line(), c.describe())));
        List<DraftSubnet> draftSubnets = new ArrayList<>();
        subnets.forEach((prefix, s) -> {
            boolean routers = s.options().stream().anyMatch(o -> o.code() == OptionCode.ROUTERS)
                    || globalOptions.stream().anyMatch(o -> o.code() == OptionCode.ROUTERS);
            if (!routers) {
                report.approximated(s.line(), "dhcp-range in " + prefix, "dnsmasq sends its own address as router "
                        + "(and as DNS server when its DNS is on) unless told otherwise; Leasehold sends only what "
                        + "it is given: add routers (and domain-name-servers) to the subnet");
            }
            draftSubnets.add(new DraftSubnet(s.id(), prefix, Optional.empty(), List.of(), s.pools(), s.options(),
                    s.reservations(), s.timers(), s.line(), "dhcp-range in " + prefix));
        });
        DraftConfig draft = new DraftConfig(interfaces, authoritative, globalTimers, globalOptions, draftClasses, draftSubnets);
        return ConfigTranslation.finish(draft, "dnsmasq-config", report);
    }

    private List<Line> lines(String text) throws ImportFailedException {
        List<Line> out = new ArrayList<>();
        String[] raw = text.split("\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String line = stripComment(raw[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = (eq < 0 ? line : line.substring(0, eq)).strip();
            String value = eq < 0 ? "" : line.substring(eq + 1).strip();
            if (!key.matches("[a-zA-Z0-9+-]+")) {
                throw ImportFailedException.at(file, i + 1, "not a dnsmasq option line: '" + raw[i].strip() + "'");
            }
            out.add(new Line(i + 1, key, value));
        }
        return out;
    }

    /** dnsmasq reads {@code #} as a comment at the start of a line or after white space, outside quotes. */
    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private void domainLine(Line l) {
        if (l.value().contains(",")) {
            report.notMapped(l.number(), l.describe(), "a domain per address range is not mapped; set domain-name on the subnet");
        } else {
            domain = Optional.of(l);
        }
    }

    // --- dhcp-range=[tag:T,][set:T,]START[,END|static|proxy][,NETMASK[,BROADCAST]][,LEASETIME] ---

    private void range(Line l) {
        List<String> fields = new ArrayList<>(List.of(l.value().split(",")));
        fields.replaceAll(String::strip);
        List<String> onlyTags = new ArrayList<>();
        Optional<String> setTag = Optional.empty();
        while (!fields.isEmpty() && (fields.getFirst().startsWith("tag:") || fields.getFirst().startsWith("set:")
                || fields.getFirst().startsWith("net:"))) {
            String f = fields.removeFirst();
            if (f.startsWith("tag:")) {
                onlyTags.add(f.substring(4));
            } else {
                setTag = Optional.of(f.substring(4));
            }
        }
        if (l.value().contains("::") || fields.stream().anyMatch(f -> f.startsWith("constructor:"))) {
            report.notMapped(l.number(), l.describe(), "Leasehold serves DHCPv4 only");
            return;
        }
        try {
            Ipv4Address start = Ipv4Address.parse(fields.removeFirst());
            Optional<Ipv4Address> end = Optional.empty();
            boolean staticOnly = false;
            if (!fields.isEmpty() && isAddress(fields.getFirst())) {
                end = Optional.of(Ipv4Address.parse(fields.removeFirst()));
            } else if (!fields.isEmpty() && (fields.getFirst().equals("static") || fields.getFirst().equals("proxy"))) {
                if (fields.removeFirst().equals("proxy")) {
                    report.notMapped(l.number(), l.describe(), "proxy DHCP has no Leasehold equivalent");
                    return;
                }
                staticOnly = true;
            }
            Optional<Ipv4Address> mask = Optional.empty();
            if (!fields.isEmpty() && isAddress(fields.getFirst())) {
                mask = Optional.of(Ipv4Address.parse(fields.removeFirst()));
                if (!fields.isEmpty() && isAddress(fields.getFirst())) {
                    fields.removeFirst(); // the broadcast address follows from the mask
                }
            }
            Optional<Long> leaseTime = Optional.empty();
            if (!fields.isEmpty()) {
                String time = fields.removeFirst();
                if (time.equals("infinite")) {
                    report.notMapped(l.number(), l.describe() + " (lease time)", "infinite leases: Leasehold's "
                            + "longest lease is 4294967294 s; set valid-lifetime by hand");
                } else {
                    leaseTime = Optional.of(duration(time));
                }
            }
            if (!fields.isEmpty()) {
                throw new IllegalArgumentException("unexpected '" + String.join(",", fields) + "'");
            }
            Prefix prefix;
            if (mask.isPresent()) {
                int length = Integer.bitCount(mask.get().bits());
                if (Prefix.mask(length) != mask.get().bits()) {
                    throw new IllegalArgumentException("not a contiguous netmask: " + mask.get());
                }
                prefix = new Prefix(new Ipv4Address(start.bits() & Prefix.mask(length)), length);
            } else {
                prefix = new Prefix(new Ipv4Address(start.bits() & Prefix.mask(24)), 24);
                report.approximated(l.number(), l.describe(), "no netmask: dnsmasq takes it from the interface's "
                        + "address; " + prefix + " is assumed (check it)");
            }
            SubnetParts subnet = subnets.computeIfAbsent(prefix, p -> new SubnetParts(subnets.size() + 1, l.number(),
                    new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
            setTag.ifPresent(t -> rangeTags.put(t, prefix));
            if (leaseTime.isPresent()) {
                long seconds = leaseTime.get();
                if (seconds < 120) {
                    report.approximated(l.number(), l.describe(), "dnsmasq raises leases below 120 s to 120 s; "
                            + "Leasehold grants the " + seconds + " s written here");
                }
                Optional<DraftTimer> earlier = subnet.timers().stream().filter(t -> t.key().equals(DraftTimer.VALID)).findFirst();
                if (earlier.isEmpty()) {
                    subnet.timers().add(new DraftTimer(DraftTimer.VALID, seconds, l.number(), l.describe()));
                } else if (earlier.get().seconds() != seconds) {
                    report.approximated(l.number(), l.describe(), "Leasehold has one lease time per subnet; "
                            + earlier.get().seconds() + " s of line " + earlier.get().line() + " is kept");
                }
            }
            if (staticOnly) {
                return; // a subnet for dhcp-host reservations only
            }
            List<String> poolClasses = new ArrayList<>();
            for (String tag : onlyTags) {
                if (!classes.containsKey(tag)) {
                    report.notMapped(l.number(), l.describe(), "it serves only clients tagged '" + tag + "', a tag "
                            + "Leasehold cannot compute (left out rather than served to everyone)");
                    return;
                }
                poolClasses.add(tag);
            }
            subnet.pools().add(new DraftPool(new AddressRange(start, end.orElse(start)), poolClasses, l.number(), l.describe()));
        } catch (IllegalArgumentException | NoSuchElementException e) {
            report.notMapped(l.number(), l.describe(), e.getMessage() == null ? "malformed dhcp-range" : e.getMessage());
        }
    }

    private static final Pattern LEASE_TIME = Pattern.compile("(\\d+)([smhdwSMHDW]?)");

    /** dnsmasq's lease times: seconds, or a number with s, m, h, d or w. */
    static long duration(String text) {
        var m = LEASE_TIME.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a lease time: '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "m" -> n * 60;
            case "h" -> n * 3600;
            case "d" -> n * 86400;
            case "w" -> n * 604800;
            default -> n;
        };
    }

    private static boolean isAddress(String text) {
        return text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    // --- tag-setting matchers → classes ---

    private void matcher(Line l) {
        List<String> fields = new ArrayList<>(List.of(l.value().split(",", -1)));
        fields.replaceAll(String::strip);
        if (fields.size() != 2 || !(fields.getFirst().startsWith("set:") || fields.getFirst().startsWith("net:"))
                || fields.get(1).startsWith("enterprise:")) {
            report.notMapped(l.number(), l.describe(), "only 'set:TAG,VALUE' is mapped");
            return;
        }
        String tag = fields.getFirst().substring(4);
        String value = unquote(fields.get(1));
        String key;
        switch (l.key()) {
            case "dhcp-vendorclass" -> {
                key = "vendor-class-prefix";
                report.approximated(l.number(), l.describe(), "dnsmasq matches the vendor class anywhere in option 60; "
                        + "Leasehold matches its start");
            }
            case "dhcp-userclass" -> {
                key = "user-class";
                report.approximated(l.number(), l.describe(), "dnsmasq matches a substring of the user class; "
                        + "Leasehold matches a whole user class");
            }
            case "dhcp-mac" -> {
                key = "mac-prefix";
                String[] bytes = value.replaceFirst("^\\d+-", "").split(":");
                int fixed = 0;
                while (fixed < bytes.length && !bytes[fixed].equals("*")) {
                    fixed++;
                }
                for (int i = fixed; i < bytes.length; i++) {
                    if (!bytes[i].equals("*")) {
                        report.notMapped(l.number(), l.describe(), "a wildcard inside the MAC (not only at its end) "
                                + "has no Leasehold equivalent");
                        return;
                    }
                }
                value = String.join(":", Arrays.copyOf(bytes, fixed));
            }
            case "dhcp-circuitid" -> key = "circuit-id";
            default -> key = "remote-id";
        }
        if (!key.equals("mac-prefix") && value.matches("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2})+")) {
            value = "0x" + value.replace(":", "");
        }
        ClassParts existing = classes.get(tag);
        if (existing != null) {
            report.notMapped(l.number(), l.describe(), "tag '" + tag + "' is already set by line " + existing.line()
                    + "; dnsmasq sets it when either matches, Leasehold classes hold when all tests do");
            return;
        }
        classes.put(tag, new ClassParts(l.number(), Map.of(key, value), new ArrayList<>(), l.describe()));
    }

    // --- dhcp-option=[tag:T,…][encap:N,|vi-encap:N,|vendor:V,]OPTION,VALUE… ---

    private void option(Line l) {
        List<String> fields = splitValues(l.value());
        List<String> tags = new ArrayList<>();
        while (!fields.isEmpty() && (fields.getFirst().startsWith("tag:") || fields.getFirst().startsWith("net:"))) {
            tags.add(fields.removeFirst().substring(4));
        }
        if (fields.isEmpty()) {
            report.notMapped(l.number(), l.describe(), "no option");
            return;
        }
        String head = fields.removeFirst();
        if (head.startsWith("encap:") || head.startsWith("vi-encap:") || head.startsWith("vendor:")
                || head.startsWith("option6:")) {
            report.notMapped(l.number(), l.describe(), "encapsulated, vendor-class and DHCPv6 options have no "
                    + "Leasehold equivalent; give the enclosing option as bytes");
            return;
        }
        Optional<Integer> code = head.startsWith("option:") ? Optional.ofNullable(OPTION_NAMES.get(head.substring(7)))
                : head.matches("\\d+") ? Optional.of(Integer.parseInt(head)) : Optional.empty();
        if (code.isEmpty()) {
            report.notMapped(l.number(), l.describe(), "unknown option '" + head + "'");
            return;
        }
        List<String> values = fields.stream().map(DnsmasqConfigImporter::unquote).toList();
        if (values.isEmpty() || values.contains("0.0.0.0")) {
            report.notMapped(l.number(), l.describe(), values.isEmpty() ? "an option without a value (dnsmasq then "
                    + "sends it empty or leaves out its default)" : "0.0.0.0 stands for the address of the machine "
                    + "running dnsmasq: write that address instead");
            return;
        }
        String text = String.join(", ", values);
        Optional<String> timer = OptionCatalog.timerKey(code.get());
        if (timer.isPresent()) {
            try {
                long seconds = code.get() == OptionCode.LEASE_TIME ? duration(text) : Long.parseLong(text);
                target(tags, l).ifPresent(t -> t.timers().ifPresentOrElse(
                        into -> into.add(new DraftTimer(timer.get(), seconds, l.number(), l.describe())),
                        () -> report.notMapped(l.number(), l.describe(), "Leasehold sets lease timers per subnet, not per class")));
            } catch (IllegalArgumentException e) {
                report.notMapped(l.number(), l.describe(), "not a number of seconds");
            }
            return;
        }
        if (code.get() == OptionCode.SUBNET_MASK) {
            report.notMapped(l.number(), l.describe(), "Leasehold sends the mask of the subnet's prefix");
            return;
        }
        Optional<OptionDefinition> definition = catalog.byCode(code.get());
        if (definition.isEmpty()) {
            // dnsmasq guesses the type of an unknown option from its value; Leasehold needs it said.
            Optional<OptionType> type = values.stream().allMatch(DnsmasqConfigImporter::isAddress)
                    ? Optional.of(OptionType.IPV4_ADDRESS_LIST)
                    : fields.size() == 1 && fields.getFirst().startsWith("\"") ? Optional.of(OptionType.STRING)
                    : Optional.empty();
            if (type.isEmpty() || !catalog.define("option-" + code.get(), code.get(), type.get())) {
                report.notMapped(l.number(), l.describe(), "option " + code.get() + " has no standard definition and its "
                        + "type cannot be told from the value; write it as a site option by hand");
                return;
            }
            definition = catalog.byCode(code.get());
        }
        if (definition.get().type() == OptionType.BYTES && !text.matches("[0-9a-fA-F:]+")) {
            text = HexFormat.ofDelimiter(":").formatHex(text.getBytes(StandardCharsets.UTF_8));
        }
        DraftOption draft = catalog.draft(definition.get(), text, l.key().equals("dhcp-option-force"), l.number(), l.describe());
        target(tags, l).ifPresent(t -> t.options().add(draft));
    }

    /** Where a tagged setting goes: everyone, a range's subnet, or a class. */
    private record Target(List<DraftOption> options, Optional<List<DraftTimer>> timers) {
    }

    private Optional<Target> target(List<String> tags, Line l) {
        if (tags.isEmpty()) {
            return Optional.of(new Target(globalOptions, Optional.of(globalTimers)));
        }
        if (tags.size() == 1 && rangeTags.containsKey(tags.getFirst())) {
            SubnetParts s = subnets.get(rangeTags.get(tags.getFirst()));
            return Optional.of(new Target(s.options(), Optional.of(s.timers())));
        }
        if (tags.size() == 1 && classes.containsKey(tags.getFirst())) {
            return Optional.of(new Target(classes.get(tags.getFirst()).options(), Optional.empty()));
        }
        report.notMapped(l.number(), l.describe(), "tags " + tags + ": only one tag of a dhcp-range or of a class "
                + "matcher is mapped (not host tags, not negations, not combinations)");
        return Optional.empty();
    }

    // --- dhcp-host=[MAC…][,id:CLIENTID][,set:TAG][,IP][,NAME][,LEASETIME][,ignore] ---

    private static final Pattern MAC = Pattern.compile("([0-9a-fA-F]{1,2}[:-]){5}[0-9a-fA-F]{1,2}");

    private void host(Line l) {
        List<String> fields = splitValues(l.value());
        List<HardwareAddress> macs = new ArrayList<>();
        Optional<ClientId> clientId = Optional.empty();
        Optional<Ipv4Address> address = Optional.empty();
        String hostname = "";
        try {
            for (String f : fields) {
                if (f.equals("ignore")) {
                    report.notMapped(l.number(), l.describe(), "Leasehold has no ignore rules");
                    return;
                } else if (f.startsWith("id:")) {
                    String id = f.substring(3);
                    if (id.equals("*")) {
                        continue;
                    }
                    clientId = Optional.of(id.matches("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2})*") ? ClientId.parse(id)
                            : new ClientId(unquote(id).getBytes(StandardCharsets.UTF_8)));
                } else if (f.startsWith("set:") || f.startsWith("tag:") || f.startsWith("net:")) {
                    report.notMapped(l.number(), l.describe() + " (" + f + ")", "host tags are not mapped");
                } else if (MAC.matcher(f).matches()) {
                    macs.add(HardwareAddress.parseEthernet(f));
                } else if (isAddress(f)) {
                    address = Optional.of(Ipv4Address.parse(f));
                } else if (f.matches("\\d+[smhdw]?|infinite")) {
                    report.notMapped(l.number(), l.describe() + " (lease time " + f + ")",
                            "Leasehold sets lease times per subnet, not per host");
                } else if (f.contains("*") || f.matches("\\d+-.*")) {
                    report.notMapped(l.number(), l.describe(), "MAC wildcards and hardware types have no Leasehold "
                            + "equivalent in reservations");
                    return;
                } else {
                    hostname = unquote(f);
                }
            }
        } catch (IllegalArgumentException e) {
            report.notMapped(l.number(), l.describe(), e.getMessage());
            return;
        }
        if (address.isEmpty()) {
            report.notMapped(l.number(), l.describe(), "a dhcp-host without an address (a name or lease time only) "
                    + "has no Leasehold equivalent");
            return;
        }
        Ipv4Address ip = address.get();
        Optional<Prefix> prefix = subnets.keySet().stream().filter(p -> p.contains(ip)).findFirst();
        if (prefix.isEmpty()) {
            report.notMapped(l.number(), l.describe(), ip + " lies outside every dhcp-range's subnet");
            return;
        }
        if (macs.size() > 1) {
            report.approximated(l.number(), l.describe(), "several MACs share the address in dnsmasq; Leasehold "
                    + "reserves it for the first, " + macs.getFirst());
        }
        Optional<HardwareAddress> hw = clientId.isPresent() ? Optional.empty() : macs.stream().findFirst();
        if (clientId.isPresent() && !macs.isEmpty()) {
            report.approximated(l.number(), l.describe(), "it names both a MAC and a client id; only the client id is kept");
        }
        if (hw.isEmpty() && clientId.isEmpty()) {
            report.notMapped(l.number(), l.describe(), "no MAC or client id");
            return;
        }
        String what = "dhcp-host " + ip;
        subnets.get(prefix.get()).reservations().add(new DraftReservation(hw, clientId, ip,
                Hostnames.keep(hostname, l.number(), what, report), List.of(), l.number(), what));
    }

    /** Comma-separated values; commas inside double quotes belong to the value. */
    private static List<String> splitValues(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : value.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                out.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.isEmpty() || !out.isEmpty()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private static String unquote(String text) {
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"") ? text.substring(1, text.length() - 1) : text;
    }
}
