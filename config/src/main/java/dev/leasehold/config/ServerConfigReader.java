package dev.leasehold.config;

import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.lease.journal.JournalOptions;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.OptionDefinitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the top level of the file, then checks what only the whole file can show: subnets that
 * overlap or share an id, relay addresses that would select two subnets, class names defined
 * twice. Defaults are constants here and documented in docs/configuration.md.
 */
final class ServerConfigReader {

    static final Ipv4Address DEFAULT_LISTEN_ADDRESS = Ipv4Address.ANY;
    /** The DHCP server port, RFC 2131 §4.1. */
    static final int DEFAULT_PORT = 67;
    static final Path DEFAULT_DATA_DIRECTORY = Path.of("/var/lib/leasehold");
    static final DurabilityPolicy DEFAULT_DURABILITY = DurabilityPolicy.BATCH;
    /**
     * The journal's 1 ms window: with arrivals spread in time (perfdhcp, real clients) it saved
     * 20–30 % of the server's CPU per lease at 7,000–10,000/s against no window, at about 0.1 ms
     * more Request→Ack median (docs/benchmarks.md, issue 15); {@code group-window: 0} is the
     * lower-latency choice.
     */
    static final Duration DEFAULT_GROUP_WINDOW = JournalOptions.DEFAULT_GROUP_WINDOW;
    static final Duration DEFAULT_OFFER_HOLD = Duration.ofSeconds(30);
    static final Duration DEFAULT_DECLINE_PROBATION = Duration.ofDays(1);
    static final Duration DEFAULT_RECLAIM_INTERVAL = Duration.ofSeconds(10);
    static final AllocationStrategy DEFAULT_ALLOCATION = AllocationStrategy.RANDOM;

    /** Linux interface names: at most 15 bytes (IFNAMSIZ 16 with the NUL), no '/' or spaces. */
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.:-]{1,15}");

    private final OptionsReader options;

    ServerConfigReader(OptionDefinitions definitions) {
        this.options = new OptionsReader(definitions);
    }

    /** The configuration, or empty when anything was reported. */
    Optional<ServerConfig> read(RawNode root, Problems problems) {
        Optional<Fields> maybe = Fields.of(root, "", problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        ListenAddress listen = fields.optional("listen", this::listen)
                .orElse(new ListenAddress(DEFAULT_LISTEN_ADDRESS, DEFAULT_PORT));
        List<String> interfaces = fields.optional("interfaces", this::interfaces).orElse(List.of());
        Path dataDirectory = fields.optional("data-directory", Scalars.text(Path::of)).orElse(DEFAULT_DATA_DIRECTORY);
        DurabilityPolicy durability = fields.optional("durability", Scalars.enumeration(DurabilityPolicy.class))
                .orElse(DEFAULT_DURABILITY);
        Duration groupWindow = fields.optional("group-window", ServerConfigReader::groupWindow)
                .orElse(DEFAULT_GROUP_WINDOW);
        boolean authoritative = fields.optional("authoritative", Scalars.BOOLEAN).orElse(false);
        boolean subnetSelection = fields.optional("subnet-selection", Scalars.BOOLEAN).orElse(true);
        boolean relayReplyPacing = fields.optional("relay-reply-pacing", Scalars.BOOLEAN).orElse(false);
        TimerSettings timerSettings = TimerSettings.read(fields);
        Duration offerHold = fields.optional("offer-hold", Scalars.DURATION).orElse(DEFAULT_OFFER_HOLD);
        Duration declineProbation = fields.optional("decline-probation", Scalars.DURATION)
                .orElse(DEFAULT_DECLINE_PROBATION);
        Duration reclaimInterval = fields.optional("reclaim-interval", Scalars.DURATION)
                .orElse(DEFAULT_RECLAIM_INTERVAL);
        Duration pingCheck = fields.optional("ping-check", Scalars.DURATION).orElse(Duration.ZERO);
        AllocationStrategy allocation = fields.optional("allocation", Scalars.enumeration(AllocationStrategy.class))
                .orElse(DEFAULT_ALLOCATION);
        List<OptionSetting> globalOptions = fields.optional("options", options.reader()).orElse(List.of());
        List<Located<ClientClassConfig>> classes = fields.optional("client-classes",
                Scalars.locatedList(new ClientClassReader(options)::read)).orElse(List.of());
        Set<String> classNames = classNames(fields, problems);
        Optional<LeaseTimers> timers = TimerRules.resolve(TimerSettings.NONE, timerSettings, problems);
        DdnsReader.Draft ddnsSettings = DdnsReader.settings(fields);
        DdnsConfig ddns = fields.optional("dhcp-ddns", DdnsReader::server).orElse(DdnsConfig.OFF);
        SubnetReader subnetReader = new SubnetReader(options, classNames, timerSettings)
                .withDdns(ddnsSettings, ddns.enableUpdates());
        List<SubnetReader.Draft> subnets = fields.optional("subnets", Scalars.listOf(subnetReader::read))
                .orElse(List.of());
        Optional<RawNode> subnetsNode = fields.entry("subnets").map(RawNode.Entry::value);
        if (subnetsNode.isEmpty()) {
            problems.report(fields.node(), "subnets", "required, but missing: at least one subnet must be served");
        } else if (Scalars.isNull(subnetsNode.get())
                || (subnetsNode.get() instanceof RawNode.RawList list && list.items().isEmpty())) {
            problems.report(subnetsNode.get(), "subnets", "is empty: at least one subnet must be served");
        }
        Optional<OperationsConfig> operations = OperationsReader.read(fields);
        LimitsConfig limits = fields.optional("limits", LimitsReader.LIMITS).orElse(LimitsConfig.NONE);
        Optional<LeaseStoreConfig> leaseStore = LeaseStoreReader.read(fields);
        fields.rejectUnknown();

        checkSubnetsApart(subnets, problems);
        checkSharedNetworks(subnets, problems);
        checkInterfaces(interfaces, subnets, problems);

        if (problems.any() || timers.isEmpty() || operations.isEmpty() || leaseStore.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ServerConfig(listen, interfaces, dataDirectory, durability, groupWindow, authoritative,
                timers.get(), offerHold, declineProbation, reclaimInterval, pingCheck, allocation, globalOptions,
                classes.stream().map(Located::value).toList(),
                subnets.stream().map(s -> s.config().orElseThrow()).toList(), operations.get(), limits,
                subnetSelection, ddns, leaseStore.get(), relayReplyPacing));
    }

    /** How long a group commit may wait for company under load: a duration up to 100 ms, or 0 for never. */
    private static Optional<Duration> groupWindow(RawNode node, String path, Problems problems) {
        return Scalars.DURATION_OR_ZERO.read(node, path, problems).flatMap(d -> {
            if (d.toMillis() > JournalOptions.MAX_GROUP_WINDOW_MILLIS) {
                problems.report(node, path, "must be at most " + JournalOptions.MAX_GROUP_WINDOW_MILLIS
                        + "ms (every acknowledgement under load may wait that long), or 0 to never wait");
                return Optional.empty();
            }
            return Optional.of(d);
        });
    }

    private Optional<ListenAddress> listen(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        int before = problems.count();
        Ipv4Address address = fields.optional("address", Scalars.ADDRESS).orElse(DEFAULT_LISTEN_ADDRESS);
        int port = fields.optional("port", Scalars.PORT).orElse(DEFAULT_PORT);
        fields.rejectUnknown();
        return problems.count() == before ? Optional.of(new ListenAddress(address, port)) : Optional.empty();
    }

    private Optional<List<String>> interfaces(RawNode node, String path, Problems problems) {
        ValueReader<String> name = Scalars.text(text -> {
            if (!text.equals("*") && !INTERFACE.matcher(text).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not an interface name (1-15 characters,"
                        + " no '/' or spaces) or '*'");
            }
            return text;
        });
        return Scalars.locatedList(name).read(node, path, problems).map(located -> {
            Set<String> seen = new LinkedHashSet<>();
            for (Located<String> one : located) {
                if (!seen.add(one.value())) {
                    problems.report(one.node(), one.path(), "'" + one.value() + "' is listed twice");
                }
            }
            if (seen.contains("*") && seen.size() > 1) {
                problems.report(node, path, "'*' already means every interface; list either '*' or names");
            }
            return List.copyOf(seen);
        });
    }

    /** The defined class names; a name defined twice is reported at its second definition. */
    private static Set<String> classNames(Fields fields, Problems problems) {
        Set<String> names = new LinkedHashSet<>();
        fields.entry("client-classes").ifPresent(entry -> {
            if (entry.value() instanceof RawNode.RawList list) {
                Map<String, Integer> firstLine = new HashMap<>();
                for (int i = 0; i < list.items().size(); i++) {
                    if (list.items().get(i) instanceof RawNode.RawMap map && map.entries().get("name") != null
                            && map.entries().get("name").value() instanceof RawNode.RawScalar name) {
                        Integer earlier = firstLine.putIfAbsent(name.text(), name.line());
                        if (earlier != null) {
                            problems.report(name, ConfigPath.key(ConfigPath.index("client-classes", i), "name"),
                                    "the class '" + name.text() + "' is already defined on line " + earlier);
                        }
                        names.add(name.text());
                    }
                }
            }
        });
        return names;
    }

    /**
     * The members of one shared network are one link: they may not name two different
     * interfaces (a request arrives on one interface and may be served from any member).
     */
    private static void checkSharedNetworks(List<SubnetReader.Draft> subnets, Problems problems) {
        Map<String, Located<String>> interfaceOf = new HashMap<>();
        for (SubnetReader.Draft subnet : subnets) {
            if (subnet.config().isEmpty() || subnet.config().get().sharedNetwork().isEmpty()
                    || subnet.interfaceName().isEmpty()) {
                continue;
            }
            String network = subnet.config().get().sharedNetwork();
            Located<String> iface = subnet.interfaceName().get();
            Located<String> earlier = interfaceOf.putIfAbsent(network, iface);
            if (earlier != null && !earlier.value().equals(iface.value())) {
                problems.report(iface.node(), iface.path(), "shared network '" + network + "' is one link, but "
                        + parent(earlier.path()) + " puts it on interface '" + earlier.value() + "' and this subnet on '"
                        + iface.value() + "'");
            }
        }
    }

    private static void checkSubnetsApart(List<SubnetReader.Draft> subnets, Problems problems) {
        Map<Integer, Located<Integer>> ids = new HashMap<>();
        for (SubnetReader.Draft subnet : subnets) {
            subnet.id().ifPresent(id -> {
                Located<Integer> earlier = ids.putIfAbsent(id.value(), id);
                if (earlier != null) {
                    problems.report(id.node(), id.path(), "subnet id " + id.value() + " is already used by "
                            + parent(earlier.path()) + "; leases are filed under the id, so it must be unique");
                }
            });
        }
        NavigableMap<Long, Located<Prefix>> byStart = checkPrefixesApart(subnets, problems);
        checkRelayAddresses(subnets, byStart, problems);
    }

    /**
     * Reports overlapping prefixes at the later one in the file, and answers the prefixes that
     * do not overlap by their first address. Two CIDR prefixes either nest or are disjoint, so
     * sorting by first address and keeping the furthest end so far finds every overlap in
     * O(n log n): an ISP configuration has tens of thousands of subnets.
     */
    private static NavigableMap<Long, Located<Prefix>> checkPrefixesApart(List<SubnetReader.Draft> subnets,
                                                                          Problems problems) {
        List<Located<Prefix>> prefixes = new ArrayList<>();
        Map<Located<Prefix>, Integer> fileOrder = new IdentityHashMap<>();
        for (SubnetReader.Draft subnet : subnets) {
            subnet.prefix().ifPresent(p -> {
                fileOrder.put(p, fileOrder.size());
                prefixes.add(p);
            });
        }
        List<Located<Prefix>> sorted = new ArrayList<>(prefixes);
        sorted.sort(Comparator.comparing((Located<Prefix> p) -> p.value().network())
                .thenComparingInt(p -> p.value().length()));
        NavigableMap<Long, Located<Prefix>> byStart = new TreeMap<>();
        Located<Prefix> reach = null;
        for (Located<Prefix> current : sorted) {
            if (reach != null && reach.value().overlaps(current.value())) {
                boolean currentIsLater = fileOrder.get(current) > fileOrder.get(reach);
                Located<Prefix> later = currentIsLater ? current : reach;
                Located<Prefix> earlier = currentIsLater ? reach : current;
                problems.report(later.node(), later.path(), later.value() + " overlaps " + earlier.value() + " of "
                        + parent(earlier.path()));
                continue;
            }
            byStart.put(current.value().network().toLong(), current);
            reach = current;
        }
        return byStart;
    }

    private static void checkRelayAddresses(List<SubnetReader.Draft> subnets,
                                            NavigableMap<Long, Located<Prefix>> byStart, Problems problems) {
        Map<Ipv4Address, Located<Ipv4Address>> relays = new HashMap<>();
        for (SubnetReader.Draft subnet : subnets) {
            for (Located<Ipv4Address> relay : subnet.relayAddresses()) {
                Located<Ipv4Address> earlier = relays.putIfAbsent(relay.value(), relay);
                if (earlier != null && !subnetOf(earlier.path()).equals(subnetOf(relay.path()))) {
                    problems.report(relay.node(), relay.path(), relay.value() + " is already a relay address of "
                            + subnetOf(earlier.path()) + "; a giaddr must select one subnet");
                }
                // A relay address inside another subnet's prefix would select that subnet by prefix (RFC 2131 §4.3.1).
                var holder = byStart.floorEntry(relay.value().toLong());
                if (holder != null && holder.getValue().value().contains(relay.value())
                        && !subnetOf(holder.getValue().path()).equals(subnetOf(relay.path()))) {
                    Located<Prefix> other = holder.getValue();
                    problems.report(relay.node(), relay.path(), relay.value() + " lies inside " + other.value() + " of "
                            + subnetOf(other.path()) + ", so a giaddr of " + relay.value() + " would select both subnets");
                }
            }
        }
    }

    /** "subnets[0]" of "subnets[0].relay-addresses[1]" or of "subnets[0].subnet". */
    private static String subnetOf(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }

    private static void checkInterfaces(List<String> interfaces, List<SubnetReader.Draft> subnets, Problems problems) {
        if (interfaces.isEmpty() || interfaces.contains("*")) {
            return;
        }
        for (SubnetReader.Draft subnet : subnets) {
            subnet.interfaceName().ifPresent(name -> {
                if (!interfaces.contains(name.value())) {
                    problems.report(name.node(), name.path(), "the server does not listen on '" + name.value()
                            + "'; add it to interfaces (" + String.join(", ", interfaces) + ")");
                }
            });
        }
    }

    /** "subnets[0]" of "subnets[0].id". */
    private static String parent(String path) {
        int dot = path.lastIndexOf('.');
        int bracket = path.lastIndexOf('[');
        int cut = Math.max(dot, bracket);
        return cut < 0 ? path : path.substring(0, cut);
    }
}
