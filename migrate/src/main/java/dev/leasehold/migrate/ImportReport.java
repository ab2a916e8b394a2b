package dev.leasehold.migrate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What an import could not carry over, each item with the line of the source file it came from,
 * so that an operator can walk through the file and decide on each construct by hand. Nothing is
 * dropped without an entry here: a construct the importer does not know is reported as well.
 *
 * <p>Owned by the one thread that runs an import; not thread-safe.
 */
public final class ImportReport {

    /** How an entry bears on the result. */
    public enum Kind {
        /** The construct is not in the written result. */
        NOT_MAPPED,
        /** The construct is in the result, but not exactly as the source server would apply it. */
        APPROXIMATED,
        /** A lease that was not loaded into the store. */
        REFUSED
    }

    /**
     * One construct of the source.
     *
     * @param line 1-based line in the source file; 0 when the construct has no single line
     * @param construct the construct as the source names it ({@code "hooks-libraries"}, {@code lease 10.0.0.7})
     * @param reason why it did not map, or how it was approximated
     */
    public record Entry(Kind kind, int line, String construct, String reason) {
    }

    private final String source;
    private final List<Entry> entries = new ArrayList<>();

    public ImportReport(String source) {
        this.source = source;
    }

    public String source() {
        return source;
    }

    public void notMapped(int line, String construct, String reason) {
        entries.add(new Entry(Kind.NOT_MAPPED, line, construct, reason));
    }

    public void approximated(int line, String construct, String reason) {
        entries.add(new Entry(Kind.APPROXIMATED, line, construct, reason));
    }

    public void refused(int line, String construct, String reason) {
        entries.add(new Entry(Kind.REFUSED, line, construct, reason));
    }

    /** The entries in line order (stable for one line). */
    public List<Entry> entries() {
        return entries.stream().sorted(Comparator.comparingInt(Entry::line)).toList();
    }

    public List<Entry> entries(Kind kind) {
        return entries().stream().filter(e -> e.kind() == kind).toList();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** One line per entry: {@code file:line: not mapped: construct: reason}, in line order. */
    public String render() {
        return entries().stream().map(this::render).collect(Collectors.joining("\n"));
    }

    private String render(Entry e) {
        String kind = switch (e.kind()) {
            case NOT_MAPPED -> "not mapped";
            case APPROXIMATED -> "approximated";
            case REFUSED -> "refused";
        };
        return source + (e.line() > 0 ? ":" + e.line() : "") + ": " + kind + ": " + e.construct() + ": " + e.reason();
    }
}
