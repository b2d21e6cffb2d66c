package dev.tamperwatch.detect;

/**
 * One score a detector computed, anomalous or not: the material of score-versus-threshold
 * timelines.
 *
 * @param detector detector name
 * @param measure what was scored, e.g. {@code refusal_rate} or {@code tool:send_email}
 * @param windowStart start of the scored window, epoch ms (inclusive); the event time for per-event
 *     scores
 * @param windowEnd end of the scored window, epoch ms (exclusive); the event time for per-event
 *     scores
 * @param pValue probability under the baseline of a value at least this extreme, in [0, 1]
 * @param threshold the false-alarm rate the p-value is compared with
 */
public record Score(
        String detector,
        String measure,
        long windowStart,
        long windowEnd,
        double pValue,
        double threshold) {}
