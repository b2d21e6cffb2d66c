package dev.tamperwatch.detect.activity;

import dev.tamperwatch.detect.state.EvidenceSlots;
import java.util.Arrays;

/**
 * Per-key state of {@link ActivityRateDetector}: the open window's count and evidence, the fast and
 * slow deseasonalized levels, the squared-residual averages of the three expectation models
 * (non-seasonal level, hour-of-day profile, hour-of-day times day-of-week profile, hour-of-week
 * profile), the seasonal profiles and the slow-drift run.
 *
 * <p>Profile factors are held as 16-bit logarithmic codes ({@code round(2048 * log2(factor))}, a
 * relative resolution of 0.034% over [2<sup>-16</sup>, 2<sup>16</sup>)), so the 24 + 168 buckets
 * take 384 bytes and the state computes with exactly what it stores.
 */
public final class ActivityState {

    static final int LEVEL = 0;
    static final int HOUR_OF_DAY = 1;
    static final int DAY_OF_WEEK = 2;
    static final int HOUR_OF_WEEK = 3;
    static final int MODELS = 4;
    static final int DAYS_PER_WEEK = 7;

    private static final double CODE_SCALE = 2048.0;

    /**
     * Start of the open window, or, when the key is quiet, the earliest start the next may have.
     */
    long windowStart = Long.MIN_VALUE;

    /** Events in the open window. */
    long windowCount;

    /** Start of the window that held the most recent event. */
    long lastEventWindow = Long.MIN_VALUE;

    /** Whether windows keep closing at their end, empty or not; false once the key went idle. */
    boolean active;

    /** Windows learned into the baseline. */
    long learnedWindows;

    /** Exponentially weighted count per window (numerator) and seasonal factor (denominator). */
    double fastSum;

    double fastWeight;
    double slowSum;
    double slowWeight;

    /**
     * Per model: weighted mean squared residual, its fourth power, mean expected count, mean
     * squared expected.
     */
    final float[] squaredError = new float[MODELS];

    /** Per model: windows whose residual it learned (counted once it was eligible). */
    final int[] errorCount = new int[MODELS];

    final float[] fourthPowerError = new float[MODELS];

    final float[] meanExpected = new float[MODELS];
    final float[] meanSquaredExpected = new float[MODELS];

    final short[] dailyCodes = new short[SeasonalClock.HOURS_PER_DAY];
    final int[] dailyVisits = new int[SeasonalClock.HOURS_PER_DAY];

    /** Per day of week: weighted count and weighted hour-of-day expectation (ratio = factor). */
    final float[] dayOfWeekSum = new float[DAYS_PER_WEEK];

    final float[] dayOfWeekWeight = new float[DAYS_PER_WEEK];
    final int[] dayOfWeekVisits = new int[DAYS_PER_WEEK];
    final short[] weeklyCodes = new short[SeasonalClock.HOURS_PER_WEEK];
    final int[] weeklyVisits = new int[SeasonalClock.HOURS_PER_WEEK];

    /** Consecutive learned windows whose fast level lay beyond the drift bound. */
    int driftRun;

    /** Start of the first window of the current drift run. */
    long driftRunStart;

    /** Whether the current drift run has been reported. */
    boolean driftReported;

    EvidenceSlots evidence = new EvidenceSlots();

    /** Fast deseasonalized level, events per window; 0 before anything was learned. */
    public double fastLevel() {
        return fastWeight > 0 ? fastSum / fastWeight : 0.0;
    }

    /** Slow (long-horizon) deseasonalized level, events per window. */
    public double slowLevel() {
        return slowWeight > 0 ? slowSum / slowWeight : 0.0;
    }

    /** Windows learned into the baseline. */
    public long learnedWindows() {
        return learnedWindows;
    }

    double dailyFactor(int hour) {
        return decode(dailyCodes[hour]);
    }

    double dayOfWeekFactor(int day) {
        double weight = dayOfWeekWeight[day];
        return weight > 0 && dayOfWeekSum[day] > 0 ? dayOfWeekSum[day] / weight : 1.0;
    }

    double weeklyFactor(int hourOfWeek) {
        return decode(weeklyCodes[hourOfWeek]);
    }

    static double decode(short code) {
        return Math.pow(2.0, code / CODE_SCALE);
    }

    static short encode(double factor) {
        double code = Math.rint(CODE_SCALE * Math.log(factor) / Math.log(2.0));
        if (!(code > Short.MIN_VALUE)) {
            return Short.MIN_VALUE;
        }
        return (short) Math.min(Short.MAX_VALUE, code);
    }

    /** Code shift that divides every factor by {@code mean}. */
    static int shiftFor(double mean) {
        return (int) Math.rint(CODE_SCALE * Math.log(mean) / Math.log(2.0));
    }

    @Override
    public String toString() {
        return "ActivityState{window="
                + windowStart
                + ", count="
                + windowCount
                + ", learned="
                + learnedWindows
                + ", fast="
                + fastLevel()
                + ", slow="
                + slowLevel()
                + ", squaredError="
                + Arrays.toString(squaredError)
                + "}";
    }
}
