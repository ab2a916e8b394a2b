package dev.leasehold.control;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes the Prometheus text exposition format, version 0.0.4: a {@code # HELP} and a
 * {@code # TYPE} line per metric family, then one line per sample, label values escaped.
 *
 * <p>A stand-in for the Prometheus Java client (io.prometheus:prometheus-metrics-*), which could
 * not be fetched when this was written; replace it with the client's registry and
 * {@code PrometheusTextFormatWriter} once the dependency can be added. Not thread-safe: one
 * instance per scrape.
 */
final class PrometheusText {

    /** The Content-Type of this format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** Metric types of the format. */
    enum Type { COUNTER, GAUGE, HISTOGRAM, UNTYPED }

    private final StringBuilder out = new StringBuilder(16 * 1024);
    private final Set<String> families = new HashSet<>();

    /** Starts a family: its HELP and TYPE lines. A family may be declared only once per scrape. */
    PrometheusText family(String name, Type type, String help) {
        requireName(name);
        if (!families.add(name)) {
            throw new IllegalStateException("metric family declared twice: " + name);
        }
        out.append("# HELP ").append(name).append(' ');
        escapeHelp(help);
        out.append('\n').append("# TYPE ").append(name).append(' ')
                .append(type.name().toLowerCase(java.util.Locale.ROOT)).append('\n');
        return this;
    }

    /** One sample of a declared family; {@code labels} alternate names and values. */
    PrometheusText sample(String family, double value, String... labels) {
        return sample(family, "", value, labels);
    }

    /** A family with one unlabelled sample, in one call. */
    PrometheusText single(String name, Type type, String help, double value) {
        return family(name, type, help).sample(name, value);
    }

    /**
     * The samples of one labelled series of a histogram family: a cumulative {@code _bucket} per
     * upper bound with {@code le}, the {@code +Inf} bucket, {@code _sum} and {@code _count}.
     */
    PrometheusText histogram(String family, Histogram.Snapshot snapshot, String... labels) {
        double[] bounds = snapshot.upperBounds();
        long[] cumulative = snapshot.cumulativeCounts();
        String[] withLe = new String[labels.length + 2];
        System.arraycopy(labels, 0, withLe, 0, labels.length);
        withLe[labels.length] = "le";
        for (int i = 0; i < bounds.length; i++) {
            withLe[labels.length + 1] = format(bounds[i]);
            sample(family, "_bucket", cumulative[i], withLe);
        }
        withLe[labels.length + 1] = "+Inf";
        sample(family, "_bucket", snapshot.count(), withLe);
        sample(family, "_sum", snapshot.sum(), labels);
        sample(family, "_count", snapshot.count(), labels);
        return this;
    }

    private PrometheusText sample(String family, String suffix, double value, String... labels) {
        if (!families.contains(family)) {
            throw new IllegalStateException("sample of undeclared family " + family);
        }
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs: " + labels.length);
        }
        out.append(family).append(suffix);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (!LABEL_NAME.matcher(labels[i]).matches() || labels[i].startsWith("__")) {
                    throw new IllegalArgumentException("not a label name: " + labels[i]);
                }
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escapeLabelValue(labels[i + 1]);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ').append(format(value)).append('\n');
        return this;
    }

    /** The exposition so far. */
    String text() {
        return out.toString();
    }

    /** Go's float syntax as Prometheus parses it: whole numbers without a fraction, {@code +Inf}, {@code NaN}. */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static void requireName(String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
    }

    /** HELP text escapes backslash and line feed only. */
    private void escapeHelp(String help) {
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    /** Label values escape backslash, double quote and line feed. */
    private void escapeLabelValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}
