package dev.tamperwatch.detect.activity;

import java.time.DayOfWeek;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Seasonal buckets of an event time in a fixed offset from UTC: hour of day (24 buckets) and hour
 * of week (168 buckets, Monday 00:00 first).
 *
 * @param offset offset of the local time the seasons follow
 */
record SeasonalClock(ZoneOffset offset) {

    static final int HOURS_PER_DAY = 24;
    static final int HOURS_PER_WEEK = 168;

    private static final long HOUR = 3_600_000L;

    /** 1970-01-01 was a Thursday: hours from a Monday 00:00 to the epoch. */
    private static final long EPOCH_HOUR_OF_WEEK = 3 * 24;

    int hourOfDay(long eventTime) {
        return (int) Math.floorMod(localHour(eventTime), HOURS_PER_DAY);
    }

    int hourOfWeek(long eventTime) {
        return (int) Math.floorMod(localHour(eventTime) + EPOCH_HOUR_OF_WEEK, HOURS_PER_WEEK);
    }

    /** e.g. {@code 14:00 UTC}. */
    String describeHourOfDay(int bucket) {
        return String.format(Locale.ROOT, "%02d:00 %s", bucket, zoneLabel());
    }

    /** e.g. {@code Tue 14:00 UTC}. */
    String describeHourOfWeek(int bucket) {
        String day =
                DayOfWeek.of(bucket / HOURS_PER_DAY + 1)
                        .getDisplayName(TextStyle.SHORT, Locale.ROOT);
        return day + " " + describeHourOfDay(bucket % HOURS_PER_DAY);
    }

    private String zoneLabel() {
        return offset.getTotalSeconds() == 0 ? "UTC" : "UTC" + offset.getId();
    }

    private long localHour(long eventTime) {
        long clamped = Math.max(-(1L << 62), Math.min(1L << 62, eventTime));
        return Math.floorDiv(clamped + offset.getTotalSeconds() * 1000L, HOUR);
    }
}
