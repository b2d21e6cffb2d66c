package dev.tamperwatch.job.baseline;

import dev.tamperwatch.job.io.DeadLetterRecord;
import dev.tamperwatch.schema.EventCodec;
import dev.tamperwatch.schema.Topics;
import dev.tamperwatch.schema.avro.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Events that reach a baseline more than one window behind its watermark. The windows they belong
 * to may have been closed and scored already, and counting them into the open window would make a
 * burst of the past look like one of now; so they are not scored. Nothing is lost: each leaves as a
 * dead letter naming the baselines that skipped it, with the event re-encoded (its original bytes
 * and offset are not known past the source).
 *
 * <p>Lateness comes from a partition that stalled while others advanced (longer than the idleness
 * timeout), or from a producer that stamps events long after they happened.
 */
final class LateEvents {

    /** Error class of a late event's dead letter. */
    static final String ERROR_CLASS = "LateEvent";

    private LateEvents() {}

    /** Whether an event at {@code time} is more than {@code allowance} behind {@code watermark}. */
    static boolean isLate(long time, long watermark, Duration allowance) {
        return watermark != Long.MIN_VALUE && time < watermark - allowance.toMillis();
    }

    /** The dead letter of an event the {@code subject} baselines did not score. */
    static DeadLetterRecord deadLetter(Event event, Subject subject, long watermark) {
        long time = event.getEventTime().toEpochMilli();
        String key = Topics.eventKey(event.getTenantId(), event.getPrincipal().getId());
        return new DeadLetterRecord(
                key.getBytes(StandardCharsets.UTF_8),
                EventCodec.encode(event),
                ERROR_CLASS,
                "event time "
                        + Instant.ofEpochMilli(time)
                        + " is "
                        + Duration.ofMillis(watermark - time)
                        + " behind the "
                        + subject.operatorName()
                        + " baselines' watermark "
                        + Instant.ofEpochMilli(watermark)
                        + "; not scored",
                null,
                -1,
                -1);
    }
}
