package dev.tamperwatch.load;

import java.util.SplittableRandom;

/**
 * Day/night activity cycle in UTC: a factor of mean 1 over the day, peaking early afternoon and
 * about 8 times lower at night. Arrivals follow a non-homogeneous Poisson process drawn by
 * thinning.
 */
final class DailyCycle {

    private static final long MILLIS_PER_MINUTE = 60_000;
    private static final long MILLIS_PER_DAY = 86_400_000;
    private static final int MINUTES_PER_DAY = 1440;
    private static final double MILLIS_PER_HOUR = 3_600_000.0;

    static final DailyCycle OFFICE_HOURS = new DailyCycle(14.0, 3.5, 0.15);

    private final double[] factorByMinute = new double[MINUTES_PER_DAY];
    private final double peakFactor;

    /** Factor proportional to {@code floor + exp(-(h - peakHour)^2 / (2 width^2))}. */
    private DailyCycle(double peakHour, double widthHours, double floor) {
        double sum = 0;
        for (int minute = 0; minute < MINUTES_PER_DAY; minute++) {
            double hour = minute / 60.0;
            double distance = Math.abs(hour - peakHour);
            distance = Math.min(distance, 24 - distance);
            factorByMinute[minute] =
                    floor + Math.exp(-distance * distance / (2 * widthHours * widthHours));
            sum += factorByMinute[minute];
        }
        double mean = sum / MINUTES_PER_DAY;
        double peak = 0;
        for (int minute = 0; minute < MINUTES_PER_DAY; minute++) {
            factorByMinute[minute] /= mean;
            peak = Math.max(peak, factorByMinute[minute]);
        }
        peakFactor = peak;
    }

    /** The activity factor at an epoch-millisecond instant. */
    double factor(long epochMillis) {
        return factorByMinute[
                (int) (Math.floorMod(epochMillis, MILLIS_PER_DAY) / MILLIS_PER_MINUTE)];
    }

    /**
     * The first arrival strictly after {@code fromMillis} of a Poisson process whose rate is {@code
     * meanPerHour * factor(t)}.
     */
    long nextArrival(SplittableRandom random, long fromMillis, double meanPerHour) {
        double peakPerMilli = meanPerHour * peakFactor / MILLIS_PER_HOUR;
        long t = fromMillis;
        while (true) {
            t += 1 + (long) (random.nextExponential() / peakPerMilli);
            if (random.nextDouble() * peakFactor < factor(t)) {
                return t;
            }
        }
    }
}
