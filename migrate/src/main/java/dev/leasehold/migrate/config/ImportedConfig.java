package dev.leasehold.migrate.config;

import dev.leasehold.config.ServerConfig;
import dev.leasehold.migrate.ImportReport;

/**
 * The result of a configuration import.
 *
 * @param yaml the Leasehold configuration, which {@code ConfigLoader} accepts as it is
 * @param config {@code yaml} as Leasehold reads it
 * @param report every construct of the source that did not map, or mapped only approximately
 */
public record ImportedConfig(String yaml, ServerConfig config, ImportReport report) {
}
