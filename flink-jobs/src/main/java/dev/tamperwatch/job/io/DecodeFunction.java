package dev.tamperwatch.job.io;

import dev.tamperwatch.schema.EventDecoder;
import dev.tamperwatch.schema.EventValidator;
import dev.tamperwatch.schema.MalformedEventException;
import dev.tamperwatch.schema.avro.Event;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes and validates raw records. Valid events go to the main output; anything else, including
 * unexpected decoder failures, goes to {@link #DEAD_LETTERS} with the reason. Never throws on input.
 */
public final class DecodeFunction extends ProcessFunction<RawRecord, Event> {

    /** Side output of records that could not be decoded or validated. */
    public static final OutputTag<DeadLetterRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetterRecord.class));

    private transient EventDecoder decoder;

    @Override
    public void open(OpenContext openContext) {
        decoder = new EventDecoder(new EventValidator());
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<Event> out) {
        try {
            out.collect(decoder.decode(raw.value));
        } catch (MalformedEventException e) {
            ctx.output(DEAD_LETTERS, new DeadLetterRecord(raw, "MalformedEvent", e.getMessage()));
        } catch (RuntimeException e) {
            ctx.output(
                    DEAD_LETTERS,
                    new DeadLetterRecord(raw, e.getClass().getSimpleName(), String.valueOf(e)));
        }
    }
}
