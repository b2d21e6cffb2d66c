package dev.tamperwatch.job.baseline;

import dev.tamperwatch.detect.StateCodec;
import dev.tamperwatch.detect.activity.ActivityObservation;
import dev.tamperwatch.detect.activity.ActivityRateConfig;
import dev.tamperwatch.detect.activity.ActivityRateDetector;
import dev.tamperwatch.detect.embedding.EmbeddingDriftDetector;
import dev.tamperwatch.detect.embedding.EmbeddingObservation;
import dev.tamperwatch.detect.refusal.RefusalObservation;
import dev.tamperwatch.detect.refusal.RefusalRateDetector;
import dev.tamperwatch.detect.tools.ToolCall;
import dev.tamperwatch.detect.tools.ToolCallDistributionDetector;
import dev.tamperwatch.detect.usage.UsageDetector;
import dev.tamperwatch.detect.usage.UsageObservation;
import dev.tamperwatch.job.PipelineConfig;
import dev.tamperwatch.schema.avro.AgentActionPayload;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.OutputPayload;
import dev.tamperwatch.schema.avro.PromptPayload;
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
                                    DetectorSuite::refusal),
                            new Binding<>(
                                    new ActivityRateDetector(
                                            activity(ActivityRateConfig.defaults(), config)),
                                    DetectorSuite::activity),
                            new Binding<>(new UsageDetector(config.usage()), DetectorSuite::usage),
                            new Binding<>(
                                    new EmbeddingDriftDetector(config.embeddingDrift()),
                                    DetectorSuite::promptEmbedding));
            case AGENT ->
                    List.of(
                            new Binding<>(
                                    new ToolCallDistributionDetector(config.toolCalls()),
                                    DetectorSuite::toolCall),
                            new Binding<>(
                                    new RefusalRateDetector(config.refusalRate()),
                                    DetectorSuite::refusal),
                            new Binding<>(
                                    new ActivityRateDetector(
                                            activity(ActivityRateConfig.forAgents(), config)),
                                    DetectorSuite::activity),
                            new Binding<>(
                                    new EmbeddingDriftDetector(config.embeddingDrift()),
                                    DetectorSuite::outputEmbedding));
            case DELEGATOR ->
                    List.of(
                            new Binding<>(
                                    new ToolCallDistributionDetector(
                                            config.toolCalls().withoutShiftTest()),
                                    DetectorSuite::toolCall));
            case MODEL ->
                    List.of(
                            new Binding<>(
                                    new RefusalRateDetector(config.refusalRate()),
                                    DetectorSuite::refusal),
                            new Binding<>(
                                    new EmbeddingDriftDetector(config.embeddingDrift()),
                                    DetectorSuite::outputEmbedding));
        };
    }

    /**
     * The state codec of the detector named {@code detector}, for restoring state serializers.
     *
     * @throws IllegalArgumentException when no subject binds a detector of that name
     */
    static StateCodec<?> codec(String detector) {
        for (Subject subject : Subject.values()) {
            for (Binding<?, ?> binding : bindings(subject, PipelineConfig.defaults())) {
                if (binding.detector().name().equals(detector)) {
                    return binding.detector().codec();
                }
            }
        }
        throw new IllegalArgumentException("no detector named " + detector);
    }

    private static ActivityRateConfig activity(ActivityRateConfig base, PipelineConfig config) {
        return base.withFalseAlarmRate(config.falseAlarmRate());
    }

    static RefusalObservation refusal(Event event) {
        if (event.getPayload() instanceof OutputPayload output) {
            return new RefusalObservation(output.getRefused(), event.getEventId());
        }
        return null;
    }

    static ActivityObservation activity(Event event) {
        return new ActivityObservation(event.getEventId());
    }

    static UsageObservation usage(Event event) {
        if (event.getPayload() instanceof OutputPayload output) {
            return output.getOutputTokens() == null && output.getLengthChars() == null
                    ? null
                    : UsageObservation.output(
                            output.getOutputTokens(), output.getLengthChars(), event.getEventId());
        }
        if (event.getPayload() instanceof PromptPayload prompt && prompt.getInputTokens() != null) {
            return UsageObservation.prompt(prompt.getInputTokens(), event.getEventId());
        }
        return null;
    }

    static EmbeddingObservation promptEmbedding(Event event) {
        if (event.getPayload() instanceof PromptPayload prompt && prompt.getEmbedding() != null) {
            return embedding(prompt.getEmbedding(), prompt.getEmbeddingModel(), event);
        }
        return null;
    }

    static EmbeddingObservation outputEmbedding(Event event) {
        if (event.getPayload() instanceof OutputPayload output && output.getEmbedding() != null) {
            return embedding(output.getEmbedding(), output.getEmbeddingModel(), event);
        }
        return null;
    }

    private static EmbeddingObservation embedding(List<Float> values, String model, Event event) {
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = values.get(i);
        }
        return new EmbeddingObservation(vector, model, event.getEventId());
    }

    static ToolCall toolCall(Event event) {
        if (event.getPayload() instanceof AgentActionPayload action) {
            return new ToolCall(
                    action.getToolName(),
                    action.getTarget(),
                    event.getEventId(),
                    event.getTraceId(),
                    action.getStep() == null ? ToolCall.NO_STEP : action.getStep());
        }
        return null;
    }
}
