package dev.tamperwatch.job.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tamperwatch.detect.refusal.RefusalObservation;
import dev.tamperwatch.detect.refusal.RefusalRateConfig;
import dev.tamperwatch.detect.refusal.RefusalRateDetector;
import dev.tamperwatch.detect.refusal.RefusalState;
import dev.tamperwatch.detect.tools.ToolCallDistributionDetector;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class StateSerializerTest {

    private final RefusalRateDetector detector =
            new RefusalRateDetector(RefusalRateConfig.defaults());
    private final StateSerializer<RefusalState> serializer =
            new StateSerializer<>(detector.name(), detector.codec());

    @Test
    void writesTheCodecBytesBehindTheirLengthAndReadsThemBack() throws Exception {
        RefusalState state = learned();
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(state, out);
        byte[] codecBytes = detector.codec().encode(state);

        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(in.readInt()).isEqualTo(codecBytes.length);
        in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(detector.codec().encode(serializer.deserialize(in))).isEqualTo(codecBytes);
    }

    @Test
    void copiesDeeplySoACheckpointKeepsTheStateAsItWas() {
        RefusalState state = learned();
        byte[] before = detector.codec().encode(state);
        RefusalState copy = serializer.copy(state);
        detector.onEvent(state, new RefusalObservation(true, "later"), 1_780_000_900_000L);

        assertThat(copy).isNotSameAs(state);
        assertThat(detector.codec().encode(copy)).isEqualTo(before);
    }

    @Test
    void aRestoredSnapshotFindsTheCodecByDetectorName() throws Exception {
        TypeSerializerSnapshot<RefusalState> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<RefusalState> restored =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());

        TypeSerializer<RefusalState> again = restored.restoreSerializer();
        assertThat(again).isEqualTo(serializer);
        assertThat(snapshot.resolveSchemaCompatibility(restored).isCompatibleAsIs()).isTrue();
        assertThat(
                        new StateSerializer<>(
                                        ToolCallDistributionDetector.NAME,
                                        DetectorSuite.codec(ToolCallDistributionDetector.NAME))
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility((TypeSerializerSnapshot) restored)
                                .isIncompatible())
                .isTrue();
    }

    @Test
    void anUnknownDetectorNameIsRefused() {
        assertThatThrownBy(() -> DetectorSuite.codec("no-such-detector"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-detector");
    }

    private RefusalState learned() {
        RefusalState state = detector.newState();
        long t = 1_780_000_000_000L;
        for (int i = 0; i < 50; i++, t += 10_000L) {
            detector.onEvent(state, new RefusalObservation(i % 7 == 0, "e" + i), t);
        }
        return state;
    }
}
