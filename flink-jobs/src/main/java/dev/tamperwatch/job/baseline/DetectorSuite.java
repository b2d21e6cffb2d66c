package dev.tamperwatch.job.baseline;

import dev.tamperwatch.detect.refusal.RefusalObservation;
import dev.tamperwatch.detect.refusal.RefusalRateDetector;
import dev.tamperwatch.detect.tools.ToolCall;
import dev.tamperwatch.detect.tools.ToolCallDistributionDetector;
import dev.tamperwatch.job.PipelineConfig;
import dev.tamperwatch.schema.avro.AgentActionPayload;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.OutputPayload;
import java.util.List;

/** Which detectors watch which subject, and what each reads from an event. */
public final class DetectorSuite {

    private DetectorSuite() {}

    /** The detectors bound to a subject, built from the pipeline's configuration. */
    public static List<Binding<?, ?>> bindings(Subject subject, PipelineConfig config) {
        return switch (subject) {
            case PRINCIPAL ->
                    List.of(
                            new Binding<>(
                                    new RefusalRateDetector(config.refusalRate()),
                                    DetectorSuite::refusal));
            case AGENT ->
                    List.of(
                            new Binding<>(
                                    new ToolCallDistributionDetector(config.toolCalls()),
                                    DetectorSuite::toolCall));
        };
    }

    static RefusalObservation refusal(Event event) {
        if (event.getPayload() instanceof OutputPayload output) {
            return new RefusalObservation(output.getRefused(), event.getEventId());
        }
        return null;
    }

    static ToolCall toolCall(Event event) {
        if (event.getPayload() instanceof AgentActionPayload action) {
            return new ToolCall(action.getToolName(), action.getTarget(), event.getEventId());
        }
        return null;
    }
}
