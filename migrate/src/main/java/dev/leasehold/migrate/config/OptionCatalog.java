package dev.leasehold.migrate.config;

import dev.leasehold.wire.OptionCode;
import dev.leasehold.wire.OptionDefinition;
import dev.leasehold.wire.OptionDefinitions;
import dev.leasehold.wire.OptionType;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The options an imported file may name: Leasehold's standard table (RFC 2132 and later, named
 * as Kea names them) plus the site's own definitions from the source file (Kea's
 * {@code option-def}, dhcpd's {@code option NAME code N = TYPE}). Owned by one importer.
 */
final class OptionCatalog {

    private final OptionDefinitions standard = OptionDefinitions.standard();
    private final Map<String, OptionDefinition> siteByName = new HashMap<>();
    private final Map<Integer, OptionDefinition> siteByCode = new HashMap<>();

    /**
     * Adds a site definition; a standard code keeps its standard definition (the source server
     * would have refused to redefine it too).
     *
     * @return false when the code is standard or already defined
     */
    boolean define(String name, int code, OptionType type) {
        if (standard.byCode(code).isPresent() || siteByCode.containsKey(code)) {
            return false;
        }
        OptionDefinition definition = new OptionDefinition(code, name, type);
        siteByName.put(name, definition);
        siteByCode.put(code, definition);
        return true;
    }

    Optional<OptionDefinition> byName(String name) {
        return standard.byName(name).or(() -> Optional.ofNullable(siteByName.get(name)));
    }

    Optional<OptionDefinition> byCode(int code) {
        return standard.byCode(code).or(() -> Optional.ofNullable(siteByCode.get(code)));
    }

    boolean isStandard(OptionDefinition definition) {
        return standard.byCode(definition.code()).isPresent();
    }

    /** An option value; a site option is written in the long form with its code and type. */
    DraftOption draft(OptionDefinition definition, String value, boolean alwaysSend, int line, String describe) {
        return new DraftOption(definition.name(), definition.code(),
                isStandard(definition) ? Optional.empty() : Optional.of(definition.type()),
                value, alwaysSend, line, describe);
    }

    /**
     * The Leasehold timer key that options 51, 58 and 59 become (RFC 2132 §9.2, §9.11, §9.12):
     * Leasehold writes those options itself from its lease timers.
     */
    static Optional<String> timerKey(int code) {
        return switch (code) {
            case OptionCode.LEASE_TIME -> Optional.of(DraftTimer.VALID);
            case OptionCode.RENEWAL_TIME -> Optional.of(DraftTimer.RENEW);
            case OptionCode.REBINDING_TIME -> Optional.of(DraftTimer.REBIND);
            default -> Optional.empty();
        };
    }
}
