package dev.tamperwatch.job.backtest;

/**
 * What a replay has read so far, or in all when {@link #complete}: counts, event-time range, and
 * distinct keys and key-days (distinct pairs of key and UTC day with events) per subject key type.
 * A Flink POJO; the arrays run in parallel.
 */
public class InputStats {
    /** Whether the input has ended: these are the final figures. */
    public boolean complete;

    /** Records read, valid or not. */
    public long records;

    /** Valid events. */
    public long events;

    /** Records that became dead letters. */
    public long deadLetters;

    /** Earliest and latest event time, epoch ms; Long.MAX_VALUE / MIN_VALUE without events. */
    public long minEventTime = Long.MAX_VALUE;

    public long maxEventTime = Long.MIN_VALUE;

    /** Subject key types ({@code principal}, {@code agent}). */
    public String[] keyTypes = new String[0];

    /** Distinct keys per key type. */
    public long[] keys = new long[0];

    /** Distinct (key, UTC day) pairs per key type. */
    public long[] keyDays = new long[0];

    /** UTC days with events, as epoch days, ascending. */
    public long[] days = new long[0];

    /** Events per day of {@link #days}. */
    public long[] eventsPerDay = new long[0];

    public InputStats() {}

    /** Key-days of a key type; 0 if the type is unknown. */
    public long keyDaysOf(String keyType) {
        for (int i = 0; i < keyTypes.length; i++) {
            if (keyTypes[i].equals(keyType)) {
                return keyDays[i];
            }
        }
        return 0;
    }

    /** Distinct keys of a key type; 0 if the type is unknown. */
    public long keysOf(String keyType) {
        for (int i = 0; i < keyTypes.length; i++) {
            if (keyTypes[i].equals(keyType)) {
                return keys[i];
            }
        }
        return 0;
    }
}
