package dev.leasehold.migrate.config;

/** The interface a subnet's directly attached clients arrive on. */
public record DraftInterface(String name, int line, String describe) implements DraftElement {
}
