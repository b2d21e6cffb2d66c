package dev.tamperwatch.load.bench;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.detect.activity.ActivityObservation;
import dev.tamperwatch.detect.activity.ActivityRateConfig;
import dev.tamperwatch.detect.activity.ActivityRateDetector;
import dev.tamperwatch.detect.activity.ActivityState;
import dev.tamperwatch.detect.embedding.EmbeddingDriftConfig;
import dev.tamperwatch.detect.embedding.EmbeddingDriftDetector;
import dev.tamperwatch.detect.embedding.EmbeddingObservation;
import dev.tamperwatch.detect.embedding.EmbeddingState;
import dev.tamperwatch.detect.refusal.RefusalObservation;
import dev.tamperwatch.detect.refusal.RefusalRateConfig;
import dev.tamperwatch.detect.refusal.RefusalRateDetector;
import dev.tamperwatch.detect.refusal.RefusalState;
import dev.tamperwatch.detect.state.EventIds;
import dev.tamperwatch.detect.tools.ToolCall;
import dev.tamperwatch.detect.tools.ToolCallDistributionConfig;
import dev.tamperwatch.detect.tools.ToolCallDistributionDetector;
import dev.tamperwatch.detect.tools.ToolCallState;
import dev.tamperwatch.detect.usage.UsageConfig;
import dev.tamperwatch.detect.usage.UsageDetector;
import dev.tamperwatch.detect.usage.UsageObservation;
import dev.tamperwatch.detect.usage.UsageState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Encoded state of one key per detector family, in a typical and in an adversarial state, built
 * through the detectors' public API only.
 *
 * <ul>
 *   <li><b>Typical</b>: {@link DetectorBenchmark#WARM_UP_WINDOWS} windows of the default traffic's
 *       observations at 64 events per window, then half a window open — the state the
 *       microbenchmarks run on.
 *   <li><b>Adversarial</b>: what a client controlling its own events can make a key hold: evidence
 *       ids of the longest storable length ({@value EventIds#MAX_EVENT_ID_BYTES} bytes, not UUIDs,
 *       so not compacted), huge open-window counts, and per family the structures it can fill (see
 *       each method).
 * </ul>
 *
 * <p>Usage: {@code StateSizes} — prints a Markdown table.
 */
public final class StateSizes {

    /**
     * Encoded sizes of one family.
     *
     * @param family detector name
     * @param typicalBytes encoded size of the typical state
     * @param adversarialBytes encoded size of the adversarial state
     * @param adversarial what the adversarial state holds
     */
    public record Row(String family, int typicalBytes, int adversarialBytes, String adversarial) {}

    private static final long HOUR = 3_600_000L;
    private static final int TYPICAL_EVENTS_PER_WINDOW = 64;

    private StateSizes() {}

    public static void main(String[] args) {
        System.out.print(table(measure()));
    }

    /** Every family the detectors module provides. */
    public static List<Row> measure() {
        List<Row> rows = new ArrayList<>();
        rows.add(refusal());
        rows.add(toolCalls());
        rows.add(activity());
        rows.add(usage());
        rows.add(embedding());
        return rows;
    }

    /**
     * Adversarial refusal-rate state: a peer prior, both CUSUMs mid-run (a sustained rise to 14%
     * refusals, then windows without any), a million outputs in the open window, eight longest ids.
     */
    static Row refusal() {
        RefusalRateDetector detector = new RefusalRateDetector(RefusalRateConfig.defaults());
        int typical = typical(detector, BenchInputs.refusals(), HOUR);

        RefusalState state = RefusalRateDetector.withPeerPrior(detector.newState(), 0.05, 200);
        long time = DetectorBenchmark.START;
        for (int w = 0; w < 60; w++, time += HOUR) {
            int refusals = w < 40 ? 2 : w < 58 ? 7 : 0;
            for (int i = 0; i < 50; i++) {
                detector.onEvent(state, new RefusalObservation(i < refusals, null), time + i);
            }
        }
        for (int i = 0; i < 1_000_000; i++) {
            detector.onEvent(state, new RefusalObservation(i % 2 == 0, longestId(i)), time + i);
        }
        return new Row(
                detector.name(),
                typical,
                detector.codec().encode(state).length,
                "peer prior, both CUSUM runs open, 10^6 outputs in the window, 8 ids of 128 B");
    }

    /**
     * Adversarial tool-call state: runs whose steps chain 100,000 never-seen tool names of the
     * longest kept length, each with a never-seen target, after a normal history; eight longest
     * ids.
     */
    static Row toolCalls() {
        ToolCallDistributionConfig config = ToolCallDistributionConfig.defaults();
        ToolCallDistributionDetector detector = new ToolCallDistributionDetector(config);
        ToolCall[] normal = BenchInputs.toolCalls();
        int typical = typical(detector, normal, HOUR);

        ToolCallState state = detector.newState();
        long time = DetectorBenchmark.START;
        for (int i = 0; i < normal.length; i++) {
            detector.onEvent(state, normal[i], time + i * (HOUR / TYPICAL_EVENTS_PER_WINDOW));
        }
        time += (long) normal.length * (HOUR / TYPICAL_EVENTS_PER_WINDOW);
        String padding = "x".repeat(config.maxToolNameBytes());
        for (int i = 0; i < 100_000; i++) {
            String tool = (i + "-" + padding).substring(0, config.maxToolNameBytes());
            String target = "target-" + i + "-" + padding;
            detector.onEvent(
                    state, new ToolCall(tool, target, longestId(i), "run-" + i / 16, i % 16), time);
        }
        return new Row(
                detector.name(),
                typical,
                detector.codec().encode(state).length,
                "100,000 novel 64-byte tools with novel targets in chained runs, 8 ids of 128 B");
    }

    /**
     * Adversarial activity state: five weeks of hourly history (every daily and weekly bucket
     * filled), a million events in the open window, eight longest ids.
     */
    static Row activity() {
        ActivityRateDetector detector = new ActivityRateDetector(ActivityRateConfig.defaults());
        int typical = typical(detector, BenchInputs.activity(), HOUR);

        ActivityState state = detector.newState();
        long time = DetectorBenchmark.START;
        for (int w = 0; w < 5 * 7 * 24; w++, time += HOUR) {
            for (int i = 0; i < 1 + w % 24; i++) {
                detector.onEvent(state, new ActivityObservation(null), time + i);
            }
        }
        for (int i = 0; i < 1_000_000; i++) {
            detector.onEvent(state, new ActivityObservation(longestId(i)), time + i % HOUR);
        }
        return new Row(
                detector.name(),
                typical,
                detector.codec().encode(state).length,
                "5 weeks of hourly profile, 10^6 events in the window, 8 ids of 128 B");
    }

    /**
     * Adversarial usage state: sizes spread over 31 doublings (output tokens, characters and window
     * token sums from 1 to 2<sup>31</sup>, one new size per window), so that every histogram holds
     * its most bins; eight longest ids.
     */
    static Row usage() {
        UsageDetector detector = new UsageDetector(UsageConfig.defaults());
        int typical = typical(detector, BenchInputs.usage(), HOUR);

        UsageState state = detector.newState();
        long time = DetectorBenchmark.START;
        for (int w = 0; w < 2_000; w++, time += HOUR) {
            int size = (int) Math.min(Integer.MAX_VALUE, Math.pow(2, (w * 7919 % 248) / 8.0));
            detector.onEvent(state, UsageObservation.output(size, size, null), time);
            detector.onEvent(state, UsageObservation.prompt(size, null), time + 1);
        }
        for (int i = 0; i < 1_000; i++) {
            int size = 1 << (i % 31);
            detector.onEvent(state, UsageObservation.output(size, size, longestId(i)), time + i);
        }
        return new Row(
                detector.name(),
                typical,
                detector.codec().encode(state).length,
                "sizes over 2^0..2^31 in every histogram, 8 ids of 128 B");
    }

    /**
     * Adversarial embedding state: a key bound to embeddings of the largest dimension the default
     * configuration accepts ({@link EmbeddingDriftConfig#maxDimension()}) and a model name of the
     * longest length, warmed up so that every baseline exists, with eight longest ids in the open
     * window.
     */
    static Row embedding() {
        EmbeddingDriftConfig config = EmbeddingDriftConfig.defaults();
        EmbeddingDriftDetector detector = new EmbeddingDriftDetector(config);
        int typical = typical(detector, BenchInputs.promptEmbeddings(), HOUR);

        EmbeddingState state = detector.newState();
        String model = "m".repeat(EmbeddingDriftDetector.MAX_MODEL_BYTES);
        SplittableRandom random = new SplittableRandom(1);
        float[] embedding = new float[config.maxDimension()];
        long time = DetectorBenchmark.START;
        int events = (int) config.warmUpEvents() * 2;
        for (int i = 0; i < events; i++) {
            for (int d = 0; d < embedding.length; d++) {
                embedding[d] = (float) random.nextGaussian();
            }
            String id = i >= events - 8 ? longestId(i) : null;
            detector.onEvent(
                    state, new EmbeddingObservation(embedding, model, id), time + i * (HOUR / 64));
        }
        return new Row(
                detector.name(),
                typical,
                detector.codec().encode(state).length,
                String.format(
                        Locale.ROOT,
                        "%,d-dimension embeddings (the configured maximum), 128-byte model name,"
                                + " warmed up, 8 ids of 128 B",
                        config.maxDimension()));
    }

    /**
     * Encoded size after {@link DetectorBenchmark#WARM_UP_WINDOWS} windows of {@code inputs} at 64
     * per window, then half a window.
     */
    static <I, S> int typical(Detector<I, S> detector, I[] inputs, long windowMillis) {
        S state = detector.newState();
        long step = windowMillis / TYPICAL_EVENTS_PER_WINDOW;
        long time = DetectorBenchmark.START;
        int events = (DetectorBenchmark.WARM_UP_WINDOWS * 2 + 1) * TYPICAL_EVENTS_PER_WINDOW / 2;
        for (int i = 0; i < events; i++, time += step) {
            detector.onEvent(state, inputs[i % inputs.length], time);
        }
        return detector.codec().encode(state).length;
    }

    /** A distinct id of the longest storable length that is not a UUID. */
    static String longestId(int n) {
        String prefix = "evt-" + n + "-";
        return prefix + "z".repeat(EventIds.MAX_EVENT_ID_BYTES - prefix.length());
    }

    /** The rows as a Markdown table. */
    public static String table(List<Row> rows) {
        StringBuilder text =
                new StringBuilder(
                        "| family | typical B | adversarial B | adversarial state |\n"
                                + "|---|---:|---:|---|\n");
        for (Row row : rows) {
            text.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %,d | %,d | %s |%n",
                            row.family(),
                            row.typicalBytes(),
                            row.adversarialBytes(),
                            row.adversarial()));
        }
        return text.toString();
    }
}
