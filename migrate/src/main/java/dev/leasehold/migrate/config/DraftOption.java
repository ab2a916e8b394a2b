package dev.leasehold.migrate.config;

import dev.leasehold.wire.OptionType;
import java.util.Optional;

/**
 * One option value for Leasehold's {@code options} mapping (docs/configuration.md, Options).
 *
 * @param label the standard name, or the site's label for an option without a standard definition
 * @param code the option code
 * @param siteType present for a site option: written in the long form with code and type
 * @param value the value in the text form of its type (comma-separated for lists)
 * @param alwaysSend send even when the client's parameter request list does not ask for it
 */
public record DraftOption(String label, int code, Optional<OptionType> siteType, String value, boolean alwaysSend,
                          int line, String describe) implements DraftElement {
}
