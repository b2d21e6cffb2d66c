package dev.tamperwatch.load.bench;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.job.PipelineConfig;
import dev.tamperwatch.job.baseline.Actor;
import dev.tamperwatch.job.baseline.Binding;
import dev.tamperwatch.job.baseline.DetectorSuite;
import dev.tamperwatch.job.baseline.Subject;
import dev.tamperwatch.schema.EventCodec;
import dev.tamperwatch.schema.MalformedEventException;
import dev.tamperwatch.schema.avro.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The keyed state the detect pipeline holds at the end of a stream, measured without Flink: replays
 * the events through the same detector bindings ({@link DetectorSuite}) and keys ({@link Subject})
 * as the pipeline's baseline operators, then encodes every key's states with the detectors' codecs
 * — the byte arrays the heap state backend keeps per key and detector — and the latest {@link
 * Actor} with Flink's serializer for it; the row {@code all of a key} sums them per key.
 *
 * <p>Windows close on the events that follow them, not on timers, so the open windows at the end
 * are those of the last events; states a detector calls {@linkplain Detector#isEmpty empty} are
 * dropped as the operator drops them. Keys are not seeded from their peer group's baselines.
 */
public final class KeyedStateSizes {

    /**
     * Encoded sizes of one detector's state over the keys that hold one.
     *
     * @param subject what the keys are
     * @param detector detector name, {@code actor} for the latest actor, or {@code all of a key}
     * @param keys keys holding a state
     * @param meanBytes mean encoded size
     * @param p50Bytes median encoded size
     * @param p99Bytes 99th percentile of the encoded size
     * @param maxBytes largest encoded size
     */
    public record Row(
            String subject,
            String detector,
            int keys,
            double meanBytes,
            int p50Bytes,
            int p99Bytes,
            int maxBytes) {}

    private KeyedStateSizes() {}

    /** Replays every event of {@code events} and measures the states left. */
    public static List<Row> measure(EncodedEvents events, PipelineConfig config) {
        TypeSerializer<Actor> actorSerializer =
                TypeInformation.of(Actor.class).createSerializer(new SerializerConfigImpl());
        List<Row> rows = new ArrayList<>();
        for (Subject subject : Subject.values()) {
            List<Binding<?, ?>> bindings = DetectorSuite.bindings(subject, config);
            List<Map<String, Object>> states = new ArrayList<>();
            bindings.forEach(b -> states.add(new HashMap<>()));
            Map<String, Actor> actors = new HashMap<>();
            for (int i = 0; i < events.size(); i++) {
                Event event = decode(events.get(i));
                if (event == null) {
                    continue;
                }
                String key = subject.keyOf(event);
                if (key == null) {
                    continue;
                }
                actors.put(key, Actor.of(event));
                long time = event.getEventTime().toEpochMilli();
                for (int d = 0; d < bindings.size(); d++) {
                    observe(bindings.get(d), states.get(d), key, event, time);
                }
            }
            Map<String, Integer> totals = new HashMap<>();
            for (int d = 0; d < bindings.size(); d++) {
                rows.add(row(subject.operatorName(), bindings.get(d), states.get(d), totals));
            }
            int[] actorSizes = new int[actors.size()];
            int next = 0;
            for (Map.Entry<String, Actor> entry : actors.entrySet()) {
                actorSizes[next] = serializedSize(actorSerializer, entry.getValue());
                totals.merge(entry.getKey(), actorSizes[next++], Integer::sum);
            }
            rows.add(summarize(subject.operatorName(), "actor", actorSizes));
            rows.add(
                    summarize(
                            subject.operatorName(),
                            "all of a key",
                            totals.values().stream().mapToInt(Integer::intValue).toArray()));
        }
        return rows;
    }

    private static Event decode(byte[] bytes) {
        try {
            return EventCodec.decode(bytes);
        } catch (MalformedEventException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static <I, S> void observe(
            Binding<I, S> binding, Map<String, Object> states, String key, Event event, long time) {
        I input = binding.observe().apply(event);
        if (input == null) {
            return;
        }
        Detector<I, S> detector = binding.detector();
        S state = (S) states.get(key);
        if (state == null) {
            state = detector.newState();
        }
        detector.onEvent(state, input, time);
        if (detector.isEmpty(state)) {
            states.remove(key);
        } else {
            states.put(key, state);
        }
    }

    /** Sizes of one detector's states; adds each key's size to {@code totals}. */
    @SuppressWarnings("unchecked")
    private static <I, S> Row row(
            String subject,
            Binding<I, S> binding,
            Map<String, Object> states,
            Map<String, Integer> totals) {
        Detector<I, S> detector = binding.detector();
        int[] sizes = new int[states.size()];
        int next = 0;
        for (Map.Entry<String, Object> entry : states.entrySet()) {
            sizes[next] = detector.codec().encode((S) entry.getValue()).length;
            totals.merge(entry.getKey(), sizes[next++], Integer::sum);
        }
        return summarize(subject, detector.name(), sizes);
    }

    private static Row summarize(String subject, String detector, int[] sizes) {
        if (sizes.length == 0) {
            return new Row(subject, detector, 0, 0, 0, 0, 0);
        }
        Arrays.sort(sizes);
        double mean = Arrays.stream(sizes).average().orElse(0);
        return new Row(
                subject,
                detector,
                sizes.length,
                mean,
                sizes[(sizes.length - 1) / 2],
                sizes[(int) Math.min(sizes.length - 1, Math.ceil(0.99 * sizes.length) - 1)],
                sizes[sizes.length - 1]);
    }

    private static int serializedSize(TypeSerializer<Actor> serializer, Actor actor) {
        DataOutputSerializer out = new DataOutputSerializer(128);
        try {
            serializer.serialize(actor, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.length();
    }

    /** The rows as a Markdown table. */
    public static String table(List<Row> rows) {
        StringBuilder text =
                new StringBuilder(
                        "| baselines | state | keys | mean B | p50 B | p99 B | max B |\n"
                                + "|---|---|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            text.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %,d | %,.0f | %,d | %,d | %,d |%n",
                            row.subject(),
                            row.detector(),
                            row.keys(),
                            row.meanBytes(),
                            row.p50Bytes(),
                            row.p99Bytes(),
                            row.maxBytes()));
        }
        return text.toString();
    }
}
