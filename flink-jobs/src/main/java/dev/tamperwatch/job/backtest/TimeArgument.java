package dev.tamperwatch.job.backtest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A bound of a replayed range: an instant (epoch milliseconds, an ISO-8601 instant or date-time
 * with offset, or an ISO date meaning its start in UTC) or a Kafka offset written {@code offset:N}.
 *
 * @param epochMillis the instant, or -1 for an offset
 * @param offset the offset, or -1 for an instant
 */
public record TimeArgument(long epochMillis, long offset) {

    private static final String OFFSET_PREFIX = "offset:";

    /** Whether this bound is a Kafka offset rather than an instant. */
    public boolean isOffset() {
        return offset >= 0;
    }

    /**
     * Parses a bound.
     *
     * @param what names the argument in the error, e.g. {@code --from}
     * @throws BacktestInputException naming {@code what}, the value and the accepted forms
     */
    public static TimeArgument parse(String what, String value) {
        String v = value.trim();
        if (v.startsWith(OFFSET_PREFIX)) {
            String n = v.substring(OFFSET_PREFIX.length());
            if (n.matches("\\d{1,18}")) {
                return new TimeArgument(-1, Long.parseLong(n));
            }
            throw new BacktestInputException(
                    what + ": '" + value + "' is not an offset; write offset:N with N >= 0");
        }
        Long millis = parseInstant(v);
        if (millis == null) {
            throw new BacktestInputException(
                    what
                            + ": '"
                            + value
                            + "' is not a time; write epoch milliseconds, an ISO-8601 instant"
                            + " (2026-01-05T10:00:00Z), or offset:N for Kafka offsets");
        }
        return new TimeArgument(millis, -1);
    }

    /**
     * Epoch milliseconds of a time written as epoch milliseconds, an ISO-8601 instant or date-time
     * with offset, or an ISO date (its start in UTC); null if it is none of these.
     */
    public static Long parseInstant(String value) {
        String v = value.trim();
        if (v.matches("-?\\d{1,18}")) {
            return Long.parseLong(v);
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(v).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return isOffset() ? OFFSET_PREFIX + offset : Instant.ofEpochMilli(epochMillis).toString();
    }
}
