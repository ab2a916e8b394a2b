package dev.leasehold.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The text exposition format 0.0.4, line by line. */
class PrometheusTextTest {

    @Test
    void counterHasHelpTypeAndSample() {
        String text = new PrometheusText().single("x_total", PrometheusText.Type.COUNTER, "Things.", 3).text();

        assertThat(text).isEqualTo("""
                # HELP x_total Things.
                # TYPE x_total counter
                x_total 3
                """);
    }

    @Test
    void labelledGaugeSamplesKeepLabelOrder() {
        PrometheusText t = new PrometheusText().family("g", PrometheusText.Type.GAUGE, "G.");
        t.sample("g", 1.5, "subnet", "7", "prefix", "10.0.0.0/24");

        assertThat(t.text()).endsWith("g{subnet=\"7\",prefix=\"10.0.0.0/24\"} 1.5\n");
    }

    @Test
    void labelValuesEscapeBackslashQuoteAndNewline() {
        PrometheusText t = new PrometheusText().family("g", PrometheusText.Type.GAUGE, "G.");
        t.sample("g", 1, "gc", "a\\b\"c\nd");

        assertThat(t.text()).endsWith("g{gc=\"a\\\\b\\\"c\\nd\"} 1\n");
    }

    @Test
    void helpEscapesBackslashAndNewlineButNotQuotes() {
        String text = new PrometheusText().single("g", PrometheusText.Type.GAUGE, "a \"q\" \\ b\nc", 0).text();

        assertThat(text).startsWith("# HELP g a \"q\" \\\\ b\\nc\n");
    }

    @Test
    void specialValuesUseGoSyntax() {
        assertThat(PrometheusText.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusText.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(PrometheusText.format(Double.NaN)).isEqualTo("NaN");
        assertThat(PrometheusText.format(-1)).isEqualTo("-1");
        assertThat(PrometheusText.format(0.25)).isEqualTo("0.25");
        assertThat(PrometheusText.format(1e-4)).isEqualTo("1.0E-4");
    }

    @Test
    void histogramBucketsAreCumulativeWithInfSumAndCount() {
        Histogram h = new Histogram(new double[]{0.001, 0.01, 0.1});
        h.observeNanos(500_000);      // 0.0005 s: first bucket
        h.observeNanos(1_000_000);    // exactly 0.001 s: "le" includes the bound
        h.observeNanos(50_000_000);   // 0.05 s: third bucket
        h.observeNanos(2_000_000_000); // 2 s: only +Inf
        PrometheusText t = new PrometheusText().family("lat_seconds", PrometheusText.Type.HISTOGRAM, "L.");
        t.histogram("lat_seconds", h.snapshot(), "type", "ack");

        assertThat(t.text()).isEqualTo("""
                # HELP lat_seconds L.
                # TYPE lat_seconds histogram
                lat_seconds_bucket{type="ack",le="0.001"} 2
                lat_seconds_bucket{type="ack",le="0.01"} 2
                lat_seconds_bucket{type="ack",le="0.1"} 3
                lat_seconds_bucket{type="ack",le="+Inf"} 4
                lat_seconds_sum{type="ack"} 2.0515
                lat_seconds_count{type="ack"} 4
                """);
    }

    @Test
    void unlabelledHistogramHasOnlyLe() {
        Histogram h = new Histogram(new double[]{1});
        PrometheusText t = new PrometheusText().family("h", PrometheusText.Type.HISTOGRAM, "H.");
        t.histogram("h", h.snapshot());

        assertThat(t.text()).contains("h_bucket{le=\"1\"} 0\n", "h_bucket{le=\"+Inf\"} 0\n", "h_sum 0\n", "h_count 0\n");
    }

    @Test
    void histogramBoundsMustIncrease() {
        assertThatThrownBy(() -> new Histogram(new double[]{1, 1})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFamilyIsDeclaredOnce() {
        PrometheusText t = new PrometheusText().family("g", PrometheusText.Type.GAUGE, "G.");

        assertThatThrownBy(() -> t.family("g", PrometheusText.Type.GAUGE, "G.")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void samplesNeedADeclaredFamily() {
        assertThatThrownBy(() -> new PrometheusText().sample("g", 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void invalidMetricAndLabelNamesAreRefused() {
        assertThatThrownBy(() -> new PrometheusText().family("1x", PrometheusText.Type.GAUGE, ""))
                .isInstanceOf(IllegalArgumentException.class);
        PrometheusText t = new PrometheusText().family("g", PrometheusText.Type.GAUGE, "G.");
        assertThatThrownBy(() -> t.sample("g", 1, "bad-name", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.sample("g", 1, "__reserved", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.sample("g", 1, "odd")).isInstanceOf(IllegalArgumentException.class);
    }
}
