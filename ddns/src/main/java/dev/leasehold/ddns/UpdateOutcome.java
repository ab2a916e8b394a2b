package dev.leasehold.ddns;

/** How one registration's updates ended. */
sealed interface UpdateOutcome {

    /** Every update the registration needed was applied (or nothing of ours was there to remove). */
    record Done() implements UpdateOutcome {}

    /** RFC 4703 §5.3.1: the name belongs to another client; nothing was changed. */
    record Conflict(String detail) implements UpdateOutcome {}

    /**
     * The DNS server could not be reached or refused; worth trying again later.
     *
     * @param reason a short label for metrics ({@code timeout}, {@code refused}, {@code notauth}, ...)
     */
    record Failed(String reason, String detail) implements UpdateOutcome {}
}
