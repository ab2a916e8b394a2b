package dev.leasehold.config;

import dev.leasehold.config.RawNode.Entry;
import dev.leasehold.config.RawNode.Kind;
import dev.leasehold.config.RawNode.RawList;
import dev.leasehold.config.RawNode.RawMap;
import dev.leasehold.config.RawNode.RawScalar;
import dev.leasehold.wire.OptionCode;
import dev.leasehold.wire.OptionDefinition;
import dev.leasehold.wire.OptionDefinitions;
import dev.leasehold.wire.OptionType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Reads an {@code options} mapping into wire-encoded {@link OptionSetting}s through the codec's
 * definition table (RFC 2132 and later), so a wrong value is refused here and not on the first
 * packet. Forms of one entry:
 * <pre>
 * routers: 10.0.0.1                                  # a standard name and its value
 * domain-name-servers: [10.0.0.53, 10.0.0.54]        # a list, or the text "10.0.0.53, 10.0.0.54"
 * ntp-servers: {value: 10.0.0.1, always-send: true}  # the long form
 * wpad: {code: 252, type: string, value: "http://wpad/wpad.dat"}  # a site option under its own label
 * 252: {type: string, value: "http://wpad/wpad.dat"}              # or under its code
 * </pre>
 */
final class OptionsReader {

    /**
     * Options the server writes itself, from the lease timers, the message and the request
     * (RFC 2131 §4.3.1 table 3 lists them as "MUST" or "MUST NOT" for the server to decide).
     * A configured value would contradict the server's own, so it is refused rather than
     * silently ignored or silently sent.
     */
    private static final Map<Integer, String> SET_BY_SERVER = Map.ofEntries(
            Map.entry(OptionCode.SUBNET_MASK, "the server sends it from the subnet's prefix"),
            Map.entry(OptionCode.REQUESTED_ADDRESS, "only clients send it"),
            Map.entry(OptionCode.LEASE_TIME, "set valid-lifetime instead"),
            Map.entry(OptionCode.OVERLOAD, "the encoder decides on overloading"),
            Map.entry(OptionCode.MESSAGE_TYPE, "the server sets it per message"),
            Map.entry(OptionCode.SERVER_IDENTIFIER, "the server sends its own address"),
            Map.entry(OptionCode.PARAMETER_REQUEST_LIST, "only clients send it"),
            Map.entry(OptionCode.MAX_MESSAGE_SIZE, "only clients send it"),
            Map.entry(OptionCode.RENEWAL_TIME, "set renew-timer instead"),
            Map.entry(OptionCode.REBINDING_TIME, "set rebind-timer instead"),
            Map.entry(OptionCode.CLIENT_IDENTIFIER, "the server echoes the client's (RFC 6842)"),
            Map.entry(OptionCode.RAPID_COMMIT, "set rapid-commit on the subnet instead"),
            Map.entry(OptionCode.RELAY_AGENT_INFORMATION, "the server echoes the relay's (RFC 3046)"),
            Map.entry(OptionCode.SUBNET_SELECTION, "only clients and relays send it"));

    /** Types that hold one value, for which a YAML list is a mistake, not a list. */
    private static final Set<OptionType> SINGLE_VALUED = EnumSet.of(OptionType.IPV4_ADDRESS, OptionType.UINT8,
            OptionType.UINT16, OptionType.UINT32, OptionType.INT32, OptionType.BOOLEAN, OptionType.STRING,
            OptionType.BYTES, OptionType.EMPTY, OptionType.DOMAIN_NAME);

    private final OptionDefinitions definitions;

    OptionsReader(OptionDefinitions definitions) {
        this.definitions = definitions;
    }

    /** The settings of an {@code options} mapping; an absent or empty one gives none. */
    ValueReader<List<OptionSetting>> reader() {
        return this::read;
    }

    private Optional<List<OptionSetting>> read(RawNode node, String path, Problems problems) {
        if (Scalars.isNull(node)) {
            return Optional.of(List.of());
        }
        if (!(node instanceof RawMap map)) {
            problems.report(node, path, "expected a mapping of option names to values, found " + node.describe());
            return Optional.empty();
        }
        List<OptionSetting> out = new ArrayList<>();
        Map<Integer, String> seen = new HashMap<>();
        for (Entry entry : map.entries().values()) {
            String entryPath = ConfigPath.key(path, entry.key());
            entry(entry, entryPath, problems).ifPresent(setting -> {
                String earlier = seen.putIfAbsent(setting.code(), setting.name());
                if (earlier != null) {
                    problems.report(entry.keyLine(), entryPath, "option " + setting.code()
                            + " is already set here as '" + earlier + "'");
                } else {
                    out.add(setting);
                }
            });
        }
        return Optional.of(out);
    }

    private Optional<OptionSetting> entry(Entry entry, String path, Problems problems) {
        String key = entry.key();
        RawNode value = entry.value();
        if (value instanceof RawMap) {
            return longForm(key, entry, path, problems);
        }
        Optional<OptionDefinition> definition = byKey(key, entry.keyLine(), path, problems);
        if (definition.isEmpty()) {
            return Optional.empty();
        }
        if (!allowed(definition.get().code(), entry.keyLine(), path, problems)) {
            return Optional.empty();
        }
        return encode(definition.get().name(), definition.get().code(), definition.get().type(), value, path, problems)
                .map(bytes -> new OptionSetting(definition.get().code(), definition.get().name(), bytes, false));
    }

    private Optional<OptionSetting> longForm(String key, Entry entry, String path, Problems problems) {
        Optional<Fields> maybeFields = Fields.of(entry.value(), path, problems);
        if (maybeFields.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybeFields.get();
        Optional<Integer> code = fields.optional("code", Scalars.integer(1, 254)).map(Long::intValue);
        boolean codeGiven = fields.has("code");
        Optional<OptionType> type = fields.optional("type", Scalars.enumeration(OptionType.class));
        boolean typeGiven = fields.has("type");
        boolean alwaysSend = fields.optional("always-send", Scalars.BOOLEAN).orElse(false);
        Optional<RawNode> value = fields.entry("value").map(Entry::value);
        fields.rejectUnknown();
        if (value.isEmpty()) {
            problems.report(fields.node(), fields.path("value"), "required, but missing");
        }
        if ((codeGiven && code.isEmpty()) || (typeGiven && type.isEmpty()) || value.isEmpty()) {
            return Optional.empty();
        }

        String name;
        int resolvedCode;
        OptionType resolvedType;
        if (code.isPresent()) {
            // The key is the site's own label for the option; it must not pass for a standard name of another code.
            resolvedCode = code.get();
            Optional<OptionDefinition> named = definitions.byName(key);
            if (named.isPresent() && named.get().code() != resolvedCode) {
                problems.report(entry.keyLine(), path, "'" + key + "' is the standard name of option "
                        + named.get().code() + ", not of option " + resolvedCode + "; choose another label");
                return Optional.empty();
            }
            if (isCode(key) && Integer.parseInt(key) != resolvedCode) {
                problems.report(entry.keyLine(), path, "the key says option " + key + " but code says " + resolvedCode);
                return Optional.empty();
            }
            name = key;
        } else if (isCode(key)) {
            // "252: {type: string, value: ...}": the key is the code, standard or not.
            resolvedCode = Integer.parseInt(key);
            if (resolvedCode < 1 || resolvedCode > 254) {
                problems.report(entry.keyLine(), path, "option codes are 1-254");
                return Optional.empty();
            }
            name = definitions.byCode(resolvedCode).map(OptionDefinition::name).orElse(key);
        } else {
            Optional<OptionDefinition> byKey = byKey(key, entry.keyLine(), path, problems);
            if (byKey.isEmpty()) {
                return Optional.empty();
            }
            resolvedCode = byKey.get().code();
            name = byKey.get().name();
        }
        if (!allowed(resolvedCode, entry.keyLine(), path, problems)) {
            return Optional.empty();
        }
        Optional<OptionDefinition> standard = definitions.byCode(resolvedCode);
        if (standard.isPresent()) {
            resolvedType = standard.get().type();
            if (type.isPresent() && type.get() != resolvedType) {
                problems.report(fields.node().entries().get("type").keyLine(), fields.path("type"),
                        "option " + resolvedCode + " (" + standard.get().name() + ") has type "
                                + Scalars.kebab(resolvedType) + ", not " + Scalars.kebab(type.get()));
                return Optional.empty();
            }
        } else if (type.isPresent()) {
            resolvedType = type.get();
        } else {
            problems.report(fields.node(), fields.path("type"), "option " + resolvedCode
                    + " has no standard definition, so its type is required (one of " + typeNames() + ")");
            return Optional.empty();
        }
        return encode(name, resolvedCode, resolvedType, value.get(), fields.path("value"), problems)
                .map(bytes -> new OptionSetting(resolvedCode, name, bytes, alwaysSend));
    }

    /** A standard name, or a code of a standard option ({@code 6}). */
    private Optional<OptionDefinition> byKey(String key, int line, String path, Problems problems) {
        if (isCode(key)) {
            int code = Integer.parseInt(key);
            if (code < 1 || code > 254) {
                problems.report(line, path, "option codes are 1-254");
                return Optional.empty();
            }
            Optional<OptionDefinition> byCode = definitions.byCode(code);
            if (byCode.isEmpty()) {
                problems.report(line, path, "option " + code + " has no standard definition; write it as "
                        + code + ": {type: ..., value: ...}");
            }
            return byCode;
        }
        Optional<OptionDefinition> byName = definitions.byName(key);
        if (byName.isEmpty()) {
            problems.report(line, path, "unknown option name '" + key + "'" + suggestion(key)
                    + "; a site option needs {code: N, type: T, value: V}");
        }
        return byName;
    }

    private boolean allowed(int code, int line, String path, Problems problems) {
        String why = SET_BY_SERVER.get(code);
        if (why != null) {
            problems.report(line, path, "option " + code + " cannot be configured: " + why);
            return false;
        }
        return true;
    }

    /** The value node as the type's text form: lists comma-joined, YAML booleans as true/false. */
    private Optional<byte[]> encode(String name, int code, OptionType type, RawNode node, String path, Problems problems) {
        Optional<String> text = switch (node) {
            case RawScalar(int line, String t, Kind kind) when kind == Kind.BOOLEAN ->
                    Optional.of(Scalars.BOOLEAN.read(node, path, problems).orElseThrow().toString());
            case RawScalar(int line, String t, Kind kind) -> Optional.of(t);
            case RawList list -> {
                if (SINGLE_VALUED.contains(type)) {
                    problems.report(node, path, name + " (option " + code + ") takes one " + Scalars.kebab(type)
                            + " value, not a list");
                    yield Optional.empty();
                }
                StringJoiner joined = new StringJoiner(", ");
                boolean ok = true;
                for (int i = 0; i < list.items().size(); i++) {
                    Optional<String> item = Scalars.scalarText(list.items().get(i), ConfigPath.index(path, i), problems);
                    ok &= item.isPresent();
                    item.ifPresent(joined::add);
                }
                yield ok ? Optional.of(joined.toString()) : Optional.empty();
            }
            case RawMap map -> {
                problems.report(node, path, "expected a value, found a mapping");
                yield Optional.empty();
            }
        };
        return text.flatMap(t -> {
            try {
                return Optional.of(type.parseText(t));
            } catch (IllegalArgumentException e) {
                problems.report(node, path, name + " (option " + code + ", " + Scalars.kebab(type) + "): " + e.getMessage());
                return Optional.empty();
            }
        });
    }

    /**
     * Names other servers and habits use for standard options, to suggest the standard name;
     * they are hints only, never accepted in its place.
     */
    private static final Map<String, String> COMMON_NAMES = Map.ofEntries(
            Map.entry("dns-servers", "domain-name-servers"), Map.entry("dns", "domain-name-servers"),
            Map.entry("dns-server", "domain-name-servers"), Map.entry("nameservers", "domain-name-servers"),
            Map.entry("router", "routers"), Map.entry("gateway", "routers"), Map.entry("default-gateway", "routers"),
            Map.entry("domain", "domain-name"), Map.entry("search", "domain-search"),
            Map.entry("search-domains", "domain-search"), Map.entry("ntp", "ntp-servers"),
            Map.entry("ntp-server", "ntp-servers"), Map.entry("mtu", "interface-mtu"),
            Map.entry("tftp-server", "tftp-server-name"), Map.entry("next-server", "tftp-server-name"),
            Map.entry("bootfile", "boot-file-name"), Map.entry("filename", "boot-file-name"),
            Map.entry("hostname", "host-name"), Map.entry("netmask", "subnet-mask"),
            Map.entry("broadcast", "broadcast-address"), Map.entry("wins-servers", "netbios-name-servers"),
            Map.entry("classless-static-routes", "classless-static-route"));

    private String suggestion(String key) {
        String common = COMMON_NAMES.get(key.toLowerCase());
        if (common != null && definitions.byName(common).isPresent()) {
            return " (did you mean '" + common + "'?)";
        }
        List<String> names = new ArrayList<>();
        definitions.all().forEach(d -> names.add(d.name()));
        return Suggestions.nearest(key, names).map(n -> " (did you mean '" + n + "'?)").orElse("");
    }

    private static String typeNames() {
        StringJoiner out = new StringJoiner(", ");
        for (OptionType t : OptionType.values()) {
            out.add(Scalars.kebab(t));
        }
        return out.toString();
    }

    private static boolean isCode(String key) {
        return !key.isEmpty() && key.length() <= 6 && key.chars().allMatch(Character::isDigit);
    }
}
