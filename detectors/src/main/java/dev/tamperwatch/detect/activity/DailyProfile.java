package dev.tamperwatch.detect.activity;

/**
 * A smooth hour-of-day profile: 24 buckets centred on the half hours of a UTC day, read and learned
 * by linear interpolation between the two buckets around the time, so a value five minutes past the
 * hour is not compared with the average of the whole hour.
 */
final class DailyProfile {

    static final int BUCKETS = 24;

    static final long HOUR = 3_600_000L;

    private static final long DAY = BUCKETS * HOUR;

    private DailyProfile() {}

    /** The profile's value at {@code timestamp}. */
    static double at(double[] profile, long timestamp) {
        double x = position(timestamp);
        int lower = (int) Math.floor(x);
        double upperWeight = x - lower;
        return (1.0 - upperWeight) * profile[Math.floorMod(lower, BUCKETS)]
                + upperWeight * profile[Math.floorMod(lower + 1, BUCKETS)];
    }

    /**
     * Moves the profile at {@code timestamp} towards the target that left {@code error}: each of
     * the two buckets around the time by {@code rate} times its interpolation weight.
     */
    static void learn(double[] profile, long timestamp, double error, double rate) {
        double x = position(timestamp);
        int lower = (int) Math.floor(x);
        double upperWeight = x - lower;
        profile[Math.floorMod(lower, BUCKETS)] += rate * (1.0 - upperWeight) * error;
        profile[Math.floorMod(lower + 1, BUCKETS)] += rate * upperWeight * error;
    }

    /** Hours since midnight, minus half an hour: bucket {@code h} sits at {@code h}. */
    private static double position(long timestamp) {
        return Math.floorMod(timestamp, DAY) / (double) HOUR - 0.5;
    }

    /** Buckets of the hour-of-week profile. */
    static final int WEEK_BUCKETS = 7 * BUCKETS;

    private static final long WEEK = WEEK_BUCKETS * HOUR;

    /** The hour-of-week profile's value at {@code timestamp}. */
    static double atWeek(float[] profile, long timestamp) {
        double x = Math.floorMod(timestamp, WEEK) / (double) HOUR - 0.5;
        int lower = (int) Math.floor(x);
        double upperWeight = x - lower;
        return (1.0 - upperWeight) * profile[Math.floorMod(lower, WEEK_BUCKETS)]
                + upperWeight * profile[Math.floorMod(lower + 1, WEEK_BUCKETS)];
    }

    /** As {@link #learn} for the hour-of-week profile. */
    static void learnWeek(float[] profile, long timestamp, double error, double rate) {
        double x = Math.floorMod(timestamp, WEEK) / (double) HOUR - 0.5;
        int lower = (int) Math.floor(x);
        double upperWeight = x - lower;
        profile[Math.floorMod(lower, WEEK_BUCKETS)] += (float) (rate * (1.0 - upperWeight) * error);
        profile[Math.floorMod(lower + 1, WEEK_BUCKETS)] += (float) (rate * upperWeight * error);
    }
}
