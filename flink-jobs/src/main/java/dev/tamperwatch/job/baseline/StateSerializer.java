package dev.tamperwatch.job.baseline;

import dev.tamperwatch.detect.StateCodec;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of one detector's state, written as its codec's versioned bytes behind a length.
 *
 * <p>With it the state lives as a decoded object: a heap state backend keeps the object itself
 * between events of a key and encodes it only for checkpoints (copy-on-write snapshots go through
 * {@link #copy(Object)}, a deep copy by encoding and decoding), so the per-event cost is the
 * detector's math alone; a serializing backend (RocksDB) encodes and decodes on every access, as it
 * must. The wire form is the same as a byte-array state holding the codec's bytes.
 *
 * <p>The serializer is identified by the detector's name; a restored snapshot finds the codec again
 * through {@link DetectorSuite#codec(String)}. Format evolution is the codec's business (its
 * version byte), so two serializers of the same detector are always compatible as they are.
 */
final class StateSerializer<S> extends TypeSerializer<S> {

    private static final long serialVersionUID = 1L;

    private final String detector;
    private transient StateCodec<S> codec;

    StateSerializer(String detector, StateCodec<S> codec) {
        this.detector = Objects.requireNonNull(detector, "detector");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    @SuppressWarnings("unchecked")
    private StateCodec<S> codec() {
        if (codec == null) {
            codec = (StateCodec<S>) DetectorSuite.codec(detector);
        }
        return codec;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<S> duplicate() {
        return this; // codecs keep no state between calls
    }

    @Override
    public S createInstance() {
        return null;
    }

    @Override
    public S copy(S from) {
        return from == null ? null : codec().decode(codec().encode(from));
    }

    @Override
    public S copy(S from, S reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(S state, DataOutputView target) throws IOException {
        byte[] bytes = codec().encode(state);
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    @Override
    public S deserialize(DataInputView source) throws IOException {
        byte[] bytes = new byte[source.readInt()];
        source.readFully(bytes);
        return codec().decode(bytes);
    }

    @Override
    public S deserialize(S reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = source.readInt();
        target.writeInt(length);
        target.write(source, length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StateSerializer<?> that && detector.equals(that.detector);
    }

    @Override
    public int hashCode() {
        return detector.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<S> snapshotConfiguration() {
        return new Snapshot<>(detector);
    }

    /** Snapshot of a {@link StateSerializer}: the detector's name. */
    public static final class Snapshot<S> implements TypeSerializerSnapshot<S> {

        private String detector;

        /** For restoring from a checkpoint. */
        public Snapshot() {}

        Snapshot(String detector) {
            this.detector = detector;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(detector);
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
                throws IOException {
            if (readVersion != 1) {
                throw new IOException("unknown state serializer snapshot version " + readVersion);
            }
            detector = in.readUTF();
        }

        @Override
        @SuppressWarnings("unchecked")
        public TypeSerializer<S> restoreSerializer() {
            return new StateSerializer<>(detector, (StateCodec<S>) DetectorSuite.codec(detector));
        }

        @Override
        public TypeSerializerSchemaCompatibility<S> resolveSchemaCompatibility(
                TypeSerializerSnapshot<S> previous) {
            return previous instanceof Snapshot<S> old && detector.equals(old.detector)
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
