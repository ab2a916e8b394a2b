package dev.leasehold.migrate.config;

import dev.leasehold.config.AddressRange;
import java.util.List;

/** A dynamic range; {@code classes} restrict it to members of those client classes. */
public record DraftPool(AddressRange range, List<String> classes, int line, String describe) implements DraftElement {
    public DraftPool {
        classes = List.copyOf(classes);
    }
}
