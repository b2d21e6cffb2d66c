package dev.tamperwatch.job.backtest;

import java.time.Duration;

/** Durations in the short form the command line accepts: {@code 2d}, {@code 1h}, {@code 250ms}. */
final class DurationFormat {

    private DurationFormat() {}

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms != 0 && ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms != 0 && ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1_000L == 0) {
            return ms / 1_000L + "s";
        }
        return ms + "ms";
    }

    /** A duration in ms for humans: {@code 42s}, {@code 3.5 min}, {@code 1.2 h}. */
    static String human(double ms) {
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.0f s", ms / 1000);
        }
        if (ms < 3_600_000) {
            return String.format(java.util.Locale.ROOT, "%.1f min", ms / 60_000);
        }
        return String.format(java.util.Locale.ROOT, "%.1f h", ms / 3_600_000);
    }
}
