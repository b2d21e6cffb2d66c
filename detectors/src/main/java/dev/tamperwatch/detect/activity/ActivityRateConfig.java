package dev.tamperwatch.detect.activity;

import java.time.Duration;
import java.time.ZoneOffset;

/**
 * Settings of {@link ActivityRateDetector}.
 *
 * @param window length of the tumbling event-time windows, aligned to multiples since the epoch
 * @param falseAlarmRate probability, per key and window, of a burst (or, with {@code lowerTail}, a
 *     burst or silence) finding on a key whose activity follows its baseline; in (0, 1)
 * @param lowerTail whether an unexpectedly quiet window raises a finding; the test is then
 *     two-sided, {@code falseAlarmRate} split between both tails
 * @param fastHalfLife half-life of the fast level the windows are scored against
 * @param slowHalfLife half-life of the long-horizon level the fast one is compared with; longer
 *     than {@code fastHalfLife}
 * @param profileHalfLife half-life, in time, of the hour-of-day and hour-of-week profile factors
 * @param dispersionHalfLife half-life of the squared-residual averages the dispersion is estimated
 *     from
 * @param warmUpWindows windows the baseline must have learned before windows are scored, at least 2
 * @param minBucketVisits windows of history an hour-of-day or hour-of-week bucket needs (so days,
 *     or weeks, with one-hour windows) before that profile may be used for it; until then a coarser
 *     profile or the non-seasonal level is used
 * @param minProfileWeeks weeks of history a day of week needs before the day-of-week profile may be
 *     used
 * @param learningClip a learned window's count is clipped to the expected count plus this many
 *     standard deviations, which bounds one window's influence; positive
 * @param driftFalseAlarmRate per-window probability that the fast level departs from the slow one
 *     beyond the drift bound by chance; in (0, 1)
 * @param minDriftRatio smallest fast/slow level ratio reported as drift, above 1 (the bound is the
 *     larger of this and the statistical bound)
 * @param driftWindows consecutive windows the departure must last before a drift finding, at least
 *     1
 * @param driftWarmUp history the slow level needs before drift is tested
 * @param idleSpan after this long without an event the key stops closing empty windows and goes
 *     quiet until its next event; at least one window
 * @param seasonalOffset offset from UTC of the local time the seasonal profile follows
 */
public record ActivityRateConfig(
        Duration window,
        double falseAlarmRate,
        boolean lowerTail,
        Duration fastHalfLife,
        Duration slowHalfLife,
        Duration profileHalfLife,
        Duration dispersionHalfLife,
        int warmUpWindows,
        int minBucketVisits,
        int minProfileWeeks,
        double learningClip,
        double driftFalseAlarmRate,
        double minDriftRatio,
        int driftWindows,
        Duration driftWarmUp,
        Duration idleSpan,
        ZoneOffset seasonalOffset) {

    public ActivityRateConfig {
        requirePositive("window", window);
        requireOpenUnit("falseAlarmRate", falseAlarmRate);
        requirePositive("fastHalfLife", fastHalfLife);
        requirePositive("slowHalfLife", slowHalfLife);
        requirePositive("profileHalfLife", profileHalfLife);
        requirePositive("dispersionHalfLife", dispersionHalfLife);
        if (slowHalfLife.compareTo(fastHalfLife) <= 0) {
            throw new IllegalArgumentException(
                    "slowHalfLife must be longer than fastHalfLife: " + slowHalfLife);
        }
        if (warmUpWindows < 2 || minBucketVisits < 1 || minProfileWeeks < 1 || driftWindows < 1) {
            throw new IllegalArgumentException(
                    "warmUpWindows >= 2, minBucketVisits >= 1, minProfileWeeks >= 1 and"
                            + " driftWindows >= 1 required");
        }
        if (!(learningClip > 0)) {
            throw new IllegalArgumentException("learningClip must be positive: " + learningClip);
        }
        requireOpenUnit("driftFalseAlarmRate", driftFalseAlarmRate);
        if (!(minDriftRatio > 1) || Double.isInfinite(minDriftRatio)) {
            throw new IllegalArgumentException(
                    "minDriftRatio must be finite and above 1: " + minDriftRatio);
        }
        if (driftWarmUp == null || driftWarmUp.isNegative()) {
            throw new IllegalArgumentException("driftWarmUp must be >= 0: " + driftWarmUp);
        }
        if (idleSpan == null || idleSpan.compareTo(window) < 0) {
            throw new IllegalArgumentException("idleSpan must be at least one window: " + idleSpan);
        }
        if (seasonalOffset == null) {
            throw new IllegalArgumentException("seasonalOffset must be given");
        }
    }

    /**
     * Defaults for identities: one-hour windows, 1e-5 false alarms per key-window, upper tail only
     * (an identity going quiet is usually benign), fast half-life 1 day, slow 14 days, profile 28
     * days, dispersion 7 days, warm-up 48 windows, seasonal buckets after 3 visits (hour of day,
     * hour of week) or 1 week (day of week), learning clipped at 3 standard deviations, drift at
     * 1e-5 per window and at least 25% above the slow level for 6 consecutive windows after 7 days
     * of history, idle after 7 days, seasons in UTC.
     */
    public static ActivityRateConfig defaults() {
        return new ActivityRateConfig(
                Duration.ofHours(1),
                1e-5,
                false,
                Duration.ofDays(1),
                Duration.ofDays(14),
                Duration.ofDays(28),
                Duration.ofDays(7),
                48,
                3,
                1,
                3.0,
                1e-5,
                1.25,
                6,
                Duration.ofDays(7),
                Duration.ofDays(7),
                ZoneOffset.UTC);
    }

    /** Defaults for agents: as {@link #defaults()}, with the lower tail (an agent gone silent). */
    public static ActivityRateConfig forAgents() {
        return defaults().withLowerTail(true);
    }

    public ActivityRateConfig withFalseAlarmRate(double rate) {
        return new ActivityRateConfig(
                window,
                rate,
                lowerTail,
                fastHalfLife,
                slowHalfLife,
                profileHalfLife,
                dispersionHalfLife,
                warmUpWindows,
                minBucketVisits,
                minProfileWeeks,
                learningClip,
                driftFalseAlarmRate,
                minDriftRatio,
                driftWindows,
                driftWarmUp,
                idleSpan,
                seasonalOffset);
    }

    public ActivityRateConfig withLowerTail(boolean enabled) {
        return new ActivityRateConfig(
                window,
                falseAlarmRate,
                enabled,
                fastHalfLife,
                slowHalfLife,
                profileHalfLife,
                dispersionHalfLife,
                warmUpWindows,
                minBucketVisits,
                minProfileWeeks,
                learningClip,
                driftFalseAlarmRate,
                minDriftRatio,
                driftWindows,
                driftWarmUp,
                idleSpan,
                seasonalOffset);
    }

    public ActivityRateConfig withIdleSpan(Duration span) {
        return new ActivityRateConfig(
                window,
                falseAlarmRate,
                lowerTail,
                fastHalfLife,
                slowHalfLife,
                profileHalfLife,
                dispersionHalfLife,
                warmUpWindows,
                minBucketVisits,
                minProfileWeeks,
                learningClip,
                driftFalseAlarmRate,
                minDriftRatio,
                driftWindows,
                driftWarmUp,
                span,
                seasonalOffset);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.toMillis() <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void requireOpenUnit(String name, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must lie in (0, 1): " + value);
        }
    }
}
