package dev.tamperwatch.job.backtest;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a replay on stderr, at most every two seconds: records read (of the total when
 * known), records per second since reading began (cluster start-up excluded), alerts so far and,
 * with a known total, the time left.
 */
public final class ReplayProgress {

    private static final long EVERY_NANOS = 2_000_000_000L;

    private final PrintWriter err;
    private final String run;
    private final long total;
    private final long started = System.nanoTime();
    private long lastPrinted = started;
    private long firstNanos = -1;
    private long firstRecords;

    /**
     * @param run names the run in each line, e.g. {@code A}
     * @param total records in the input, or -1 if unknown
     */
    public ReplayProgress(PrintWriter err, String run, long total) {
        this.err = err;
        this.run = run;
        this.total = total;
    }

    /** Reports running figures; prints if enough time has passed. */
    public void update(long records, long alerts) {
        long now = System.nanoTime();
        if (firstNanos < 0) {
            firstNanos = now;
            firstRecords = records;
        }
        if (now - lastPrinted < EVERY_NANOS) {
            return;
        }
        lastPrinted = now;
        err.println(line(records, alerts, now));
        err.flush();
    }

    /** Prints the final line. */
    public void done(long records, long alerts) {
        err.println(line(records, alerts, System.nanoTime()) + ", done");
        err.flush();
    }

    String line(long records, long alerts, long now) {
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        double reading = firstNanos < 0 ? 0 : (now - firstNanos) / 1e9;
        double rate = reading > 0.5 ? (records - firstRecords) / reading : Double.NaN;
        StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "backtest %s: %,d", run, records));
        if (total >= 0) {
            line.append(String.format(Locale.ROOT, " of %,d records", total));
            if (total > 0) {
                line.append(String.format(Locale.ROOT, " (%.0f%%)", 100.0 * records / total));
            }
        } else {
            line.append(" records");
        }
        if (!Double.isNaN(rate)) {
            line.append(String.format(Locale.ROOT, ", %,.0f records/s", rate));
        }
        line.append(String.format(Locale.ROOT, ", %,d alerts", alerts));
        if (total > 0 && records > 0 && records < total && rate > 0) {
            double left = (total - records) / rate;
            line.append(", ETA ").append(DurationFormat.human(left * 1000));
        }
        line.append(String.format(Locale.ROOT, ", %.1f s elapsed", seconds));
        return line.toString();
    }
}
