package dev.stratus.bench.compare;

import java.util.Locale;

/**
 * How figures are written in the results: latencies in ms or s with three significant digits,
 * throughputs in MB/s, ratios as "×0.52" (Stratus ÷ Kafka), and a dash for a figure that was
 * not measured. Stateless.
 */
final class Figures {

    static final String MISSING = "—";

    private Figures() {
    }

    static String millis(double ms) {
        if (Double.isNaN(ms)) {
            return MISSING;
        }
        if (ms >= 10_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000);
        }
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return String.format(Locale.ROOT, "%.2f ms", ms);
    }

    static String megabytesPerSecond(double mbps) {
        return Double.isNaN(mbps) ? MISSING : String.format(Locale.ROOT, "%.1f MB/s", mbps);
    }

    static String number(double value, int decimals) {
        return Double.isNaN(value) ? MISSING : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    static String dollars(double value) {
        return Double.isNaN(value) ? MISSING : String.format(Locale.ROOT, "$%,.0f", value);
    }

    /** {@code stratus ÷ kafka}, e.g. "×0.52". */
    static String ratio(double stratus, double kafka) {
        if (Double.isNaN(stratus) || Double.isNaN(kafka) || kafka == 0) {
            return MISSING;
        }
        double ratio = stratus / kafka;
        return String.format(Locale.ROOT, ratio >= 10 ? "×%.0f" : "×%.2f", ratio);
    }

    static String mebibytes(double bytes) {
        return Double.isNaN(bytes) ? MISSING : String.format(Locale.ROOT, "%.0f MiB", bytes / (1 << 20));
    }
}
