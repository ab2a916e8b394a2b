package dev.leasehold.migrate.config;

/**
 * A piece of the Leasehold configuration being built from another server's file, with the line
 * of the source it came from. Any piece can be left out of the result again when Leasehold's own
 * validation refuses it ({@link ConfigTranslation}); the report then names that line.
 */
public sealed interface DraftElement
        permits DraftTimer, DraftOption, DraftPool, DraftReservation, DraftClass, DraftSubnet, DraftRelay,
        DraftInterface {

    /** The 1-based line of the source construct. */
    int line();

    /** The source construct, as the report names it. */
    String describe();
}
