package dev.tamperwatch.job.io;

import dev.tamperwatch.schema.avro.Event;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Valid events to the main output, dead letters to {@link #DEAD_LETTERS}. */
public final class SplitDeadLetters extends ProcessFunction<Decoded, Event> {

    /** Side output of records that could not be decoded or validated. */
    public static final OutputTag<DeadLetterRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetterRecord.class));

    @Override
    public void processElement(Decoded decoded, Context ctx, Collector<Event> out) {
        if (decoded.isValid()) {
            out.collect(decoded.event);
        } else {
            ctx.output(DEAD_LETTERS, decoded.deadLetter);
        }
    }
}
