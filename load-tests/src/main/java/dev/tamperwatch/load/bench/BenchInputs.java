package dev.tamperwatch.load.bench;

import dev.tamperwatch.detect.activity.ActivityObservation;
import dev.tamperwatch.detect.embedding.EmbeddingObservation;
import dev.tamperwatch.detect.refusal.RefusalObservation;
import dev.tamperwatch.detect.tools.ToolCall;
import dev.tamperwatch.detect.usage.UsageObservation;
import dev.tamperwatch.load.TrafficGenerator;
import dev.tamperwatch.load.TrafficProfile;
import dev.tamperwatch.schema.avro.AgentActionPayload;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.OutputPayload;
import dev.tamperwatch.schema.avro.PromptPayload;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Observations for the microbenchmarks: the seeded traffic of one identity and one agent of the
 * default profile, so that refusal rate, tool mix, targets, runs, sizes and event ids are those one
 * key of the pipeline sees. Benchmarks replay them cyclically under their own event clock.
 */
public final class BenchInputs {

    /** Observations per family; a power of two so that the cursor wraps with a mask. */
    public static final int SIZE = 1 << 14;

    private static final long SEED = 7;

    private static volatile EmbeddingObservation[] promptEmbeddings;

    private BenchInputs() {}

    /** Outputs, in event order. */
    public static RefusalObservation[] refusals() {
        return collect(
                        SIZE,
                        event ->
                                event.getPayload() instanceof OutputPayload output
                                        ? new RefusalObservation(
                                                output.getRefused(), event.getEventId())
                                        : null)
                .toArray(RefusalObservation[]::new);
    }

    /** Tool calls, in event order, each with its run and step. */
    public static ToolCall[] toolCalls() {
        return collect(
                        SIZE,
                        event ->
                                event.getPayload() instanceof AgentActionPayload action
                                        ? new ToolCall(
                                                action.getToolName(),
                                                action.getTarget(),
                                                event.getEventId(),
                                                event.getTraceId(),
                                                action.getStep() == null
                                                        ? ToolCall.NO_STEP
                                                        : action.getStep())
                                        : null)
                .toArray(ToolCall[]::new);
    }

    /** Every event, as an activity observation. */
    public static ActivityObservation[] activity() {
        return collect(SIZE, event -> new ActivityObservation(event.getEventId()))
                .toArray(ActivityObservation[]::new);
    }

    /** Sizes of every prompt (input tokens) and output (output tokens, characters). */
    public static UsageObservation[] usage() {
        return collect(SIZE, BenchInputs::usage).toArray(UsageObservation[]::new);
    }

    static UsageObservation usage(Event event) {
        if (event.getPayload() instanceof OutputPayload output) {
            return UsageObservation.output(
                    output.getOutputTokens(), output.getLengthChars(), event.getEventId());
        }
        if (event.getPayload() instanceof PromptPayload prompt) {
            return UsageObservation.prompt(prompt.getInputTokens(), event.getEventId());
        }
        return null;
    }

    /**
     * Prompts of one identity with their 384-dimension embeddings; generated once per JVM and
     * shared, so callers must not modify them.
     */
    public static EmbeddingObservation[] promptEmbeddings() {
        EmbeddingObservation[] cached = promptEmbeddings;
        if (cached == null) {
            cached =
                    collect(
                                    profile().withEmbeddings(true),
                                    SIZE,
                                    event ->
                                            event.getPayload() instanceof PromptPayload prompt
                                                            && prompt.getEmbedding() != null
                                                    ? new EmbeddingObservation(
                                                            toArray(prompt.getEmbedding()),
                                                            prompt.getEmbeddingModel(),
                                                            event.getEventId())
                                                    : null)
                            .toArray(EmbeddingObservation[]::new);
            promptEmbeddings = cached;
        }
        return cached;
    }

    private static float[] toArray(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    /**
     * The first {@code count} non-null results of {@code extract} over the traffic of the default
     * profile reduced to one identity and one agent.
     */
    static <T> List<T> collect(int count, Function<Event, T> extract) {
        return collect(profile(), count, extract);
    }

    /** The default profile reduced to one identity and one agent. */
    static TrafficProfile profile() {
        return TrafficProfile.defaults(SEED).withIdentitiesPerTenant(1).withAgentsPerTenant(1);
    }

    static <T> List<T> collect(TrafficProfile profile, int count, Function<Event, T> extract) {
        Iterator<Event> events = new TrafficGenerator(profile).events();
        List<T> result = new ArrayList<>(count);
        while (result.size() < count) {
            T item = extract.apply(events.next());
            if (item != null) {
                result.add(item);
            }
        }
        return result;
    }
}
