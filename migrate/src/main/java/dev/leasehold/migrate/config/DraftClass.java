package dev.leasehold.migrate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client class: every test in {@code match} must hold ({@code vendor-class-prefix},
 * {@code user-class}, {@code mac-prefix}, {@code circuit-id}, {@code remote-id}).
 */
public record DraftClass(String name, Map<String, String> match, List<DraftOption> options, int line, String describe)
        implements DraftElement {
    public DraftClass {
        match = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(match));
        options = List.copyOf(options);
    }
}
