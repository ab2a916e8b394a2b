package dev.leasehold.migrate.config;

import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.ConfigProblem;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.migrate.ImportFailedException;
import dev.leasehold.migrate.ImportReport;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns an imported {@link DraftConfig} into YAML that Leasehold's own validation accepts: it
 * writes the draft, reads it back with {@link ConfigLoader} (the same checks as
 * {@code check-config}, start and reload), and leaves out each element a problem is reported
 * for, naming its source line in the report, until the file passes. The rules therefore live in
 * one place, the config module, and the importers never guess at them: a pool that the source
 * server accepted but Leasehold refuses (one holding the network address, say) is reported, not
 * silently changed.
 */
public final class ConfigTranslation {

    private ConfigTranslation() {
    }

    /**
     * @param command the import subcommand ({@code kea-config}), named in the file's header comment
     * @throws ImportFailedException when nothing servable is left (no subnet maps) or a problem
     *         cannot be traced to an element (a bug of the importer; the message lists it)
     */
    public static ImportedConfig finish(DraftConfig draft, String command, ImportReport report)
            throws ImportFailedException {
        String header = "Imported from " + report.source() + " by `leasehold import " + command + "`.\n"
                + "Every construct that did not map is listed in the import report, with its line.";
        Set<DraftElement> omitted = Collections.newSetFromMap(new IdentityHashMap<>());
        // Each round leaves out at least one more element, so the loop ends.
        while (true) {
            LeaseholdYamlWriter.Written written = LeaseholdYamlWriter.write(draft, header, omitted);
            try {
                ServerConfig config = ConfigLoader.parse(written.yaml(), "imported configuration");
                return new ImportedConfig(written.yaml(), config, report);
            } catch (ConfigException e) {
                int before = omitted.size();
                for (ConfigProblem problem : e.problems()) {
                    Optional<DraftElement> element = owner(problem.path(), written.elements());
                    if (element.isEmpty()) {
                        throw new ImportFailedException(unrecoverable(e, written.elements()));
                    }
                    if (omitted.add(element.get())) {
                        report.notMapped(element.get().line(), element.get().describe(),
                                "Leasehold refuses it: " + problem.message());
                    }
                }
                if (omitted.size() == before) {
                    throw new ImportFailedException(unrecoverable(e, written.elements()));
                }
            }
        }
    }

    /** The element written at {@code path} or at the nearest path above it. */
    static Optional<DraftElement> owner(String path, Map<String, DraftElement> elements) {
        String at = path;
        while (!at.isEmpty()) {
            DraftElement element = elements.get(at);
            if (element != null) {
                return Optional.of(element);
            }
            int cut = Math.max(at.lastIndexOf('.'), at.lastIndexOf('['));
            at = cut < 0 ? "" : at.substring(0, cut);
        }
        return Optional.empty();
    }

    private static String unrecoverable(ConfigException e, Map<String, DraftElement> elements) {
        boolean noSubnet = elements.keySet().stream().noneMatch(p -> p.startsWith("subnets["));
        String problems = e.problems().stream().map(p -> "  " + p.path() + ": " + p.message())
                .collect(Collectors.joining("\n"));
        return (noSubnet ? "no subnet of the source could be imported, so there is nothing to serve:\n"
                : "the imported configuration does not pass validation:\n") + problems;
    }
}
