package dev.tamperwatch.detect.embedding;

import dev.tamperwatch.detect.state.EvidenceSlots;
import dev.tamperwatch.detect.state.StateReader;
import dev.tamperwatch.detect.state.StateWriter;
import dev.tamperwatch.detect.state.VersionedCodec;
import java.nio.charset.StandardCharsets;

/**
 * Format 1: version byte; dimension (varint, 0 for a state not yet bound, which ends the body);
 * model name (UTF-8); window start (zig-zag varint); fast size, fast squared weights, slow size
 * (doubles); fast and slow centroids (float32 each); distance size, mean and mean square, tail
 * size, exceedance rate and mean excess (doubles); bandwidth (float, 0 when no features yet), and
 * when positive: feature fingerprint (long), feature count (varint), fast and slow feature means
 * (float32 each), fast size and squared weights, slow size and squared weights, cross weights,
 * history size, squared weights, mean, mean square and mean cube (doubles), drift-alerted flag
 * (byte); window events (varint), and when positive: window outliers (varint), window sum (float32
 * per dimension), distance sum and square sum (doubles), exceedances (varint), excess sum (double),
 * with features the window's feature sum and, when it has outliers, their feature sum (float32
 * each); then the evidence slots.
 *
 * <p>Vectors are float32. With a 384-dimension model and 128 features a state takes about 4.3 KB
 * between windows and 6.9 KB with an open window holding outliers; with a 128-byte model name and
 * eight 128-byte event ids as well, at most 8,098 bytes.
 */
final class EmbeddingStateCodec extends VersionedCodec<EmbeddingState> {

    EmbeddingStateCodec() {
        super(EmbeddingDriftDetector.NAME, 1);
    }

    @Override
    protected void writeBody(EmbeddingState state, StateWriter out) {
        out.writeVarLong(state.dimension);
        if (!state.bound()) {
            return;
        }
        out.writeString(state.model).writeSignedVarLong(state.windowStart);
        out.writeDouble(state.fastSize).writeDouble(state.fastSquares).writeDouble(state.slowSize);
        writeFloats(out, state.fastCentroid);
        writeFloats(out, state.slowCentroid);
        out.writeDouble(state.distanceSize)
                .writeDouble(state.distanceMean)
                .writeDouble(state.distanceSquareMean)
                .writeDouble(state.tailSize)
                .writeDouble(state.exceedRate)
                .writeDouble(state.excessMean)
                .writeFloat(state.bandwidth);
        if (state.hasFeatures()) {
            out.writeLong(state.featureFingerprint).writeVarLong(state.featureFast.length);
            writeFloats(out, state.featureFast);
            writeFloats(out, state.featureSlow);
            out.writeDouble(state.featureFastSize)
                    .writeDouble(state.featureFastSquares)
                    .writeDouble(state.featureSlowSize)
                    .writeDouble(state.featureSlowSquares)
                    .writeDouble(state.featureCross)
                    .writeDouble(state.historySize)
                    .writeDouble(state.historySquares)
                    .writeDouble(state.historyMean)
                    .writeDouble(state.historySquareMean)
                    .writeDouble(state.historyCubeMean)
                    .writeByte(state.driftAlerted ? 1 : 0);
        }
        out.writeVarLong(state.windowEvents);
        if (state.hasOpenWindow()) {
            out.writeVarLong(state.windowOutliers);
            writeFloats(out, state.windowSum);
            out.writeDouble(state.windowDistanceSum)
                    .writeDouble(state.windowDistanceSquareSum)
                    .writeVarLong(state.windowExceedances)
                    .writeDouble(state.windowExcessSum);
            if (state.hasFeatures()) {
                writeFloats(out, state.windowFeatures);
                if (state.windowOutliers > 0) {
                    writeFloats(out, state.windowOutlierFeatures);
                }
            }
        }
        state.evidence.writeTo(out);
    }

    @Override
    protected EmbeddingState readBody(int version, StateReader in) {
        if (version != 1) {
            throw unsupportedVersion(version);
        }
        EmbeddingState state = new EmbeddingState();
        int dimension = in.readCount(EmbeddingDriftDetector.MAX_DIMENSION);
        if (dimension == 0) {
            state.recomputeDerived();
            return state;
        }
        String model = in.readString();
        if (model.getBytes(StandardCharsets.UTF_8).length
                > EmbeddingDriftDetector.MAX_MODEL_BYTES) {
            throw new IllegalArgumentException("embedding model name in state too long");
        }
        state.bind(model, dimension);
        state.windowStart = in.readSignedVarLong();
        state.fastSize = size(in.readDouble());
        state.fastSquares = size(in.readDouble());
        state.slowSize = size(in.readDouble());
        readFloats(in, state.fastCentroid);
        readFloats(in, state.slowCentroid);
        state.distanceSize = size(in.readDouble());
        state.distanceMean = size(in.readDouble());
        state.distanceSquareMean = size(in.readDouble());
        state.tailSize = size(in.readDouble());
        state.exceedRate = size(in.readDouble());
        state.excessMean = size(in.readDouble());
        float bandwidth = in.readFloat();
        if (!(bandwidth >= 0f) || Float.isInfinite(bandwidth)) {
            throw new IllegalArgumentException("invalid bandwidth in state: " + bandwidth);
        }
        if (bandwidth > 0f) {
            long fingerprint = in.readLong();
            int features = in.readCount(EmbeddingDriftConfig.MAX_FEATURES);
            if (features == 0) {
                throw new IllegalArgumentException("state has a bandwidth but no features");
            }
            state.enableFeatures(bandwidth, fingerprint, features);
            readFloats(in, state.featureFast);
            readFloats(in, state.featureSlow);
            state.featureFastSize = size(in.readDouble());
            state.featureFastSquares = size(in.readDouble());
            state.featureSlowSize = size(in.readDouble());
            state.featureSlowSquares = size(in.readDouble());
            state.featureCross = size(in.readDouble());
            state.historySize = size(in.readDouble());
            state.historySquares = size(in.readDouble());
            state.historyMean = size(in.readDouble());
            state.historySquareMean = size(in.readDouble());
            state.historyCubeMean = size(in.readDouble());
            int flag = in.readByte();
            if (flag > 1) {
                throw new IllegalArgumentException("invalid drift flag in state: " + flag);
            }
            state.driftAlerted = flag == 1;
        }
        state.windowEvents = count(in.readVarLong());
        if (state.hasOpenWindow()) {
            state.windowOutliers = count(in.readVarLong());
            if (state.windowOutliers > state.windowEvents) {
                throw new IllegalArgumentException("more outliers than events in state window");
            }
            readFloats(in, state.windowSum);
            state.windowDistanceSum = size(in.readDouble());
            state.windowDistanceSquareSum = size(in.readDouble());
            state.windowExceedances = count(in.readVarLong());
            state.windowExcessSum = size(in.readDouble());
            if (state.hasFeatures()) {
                readFloats(in, state.windowFeatures);
                if (state.windowOutliers > 0) {
                    readFloats(in, state.windowOutlierFeatures);
                }
            }
        }
        state.evidence = EvidenceSlots.readFrom(in);
        if (!state.evidence.ids(tag -> tag < 0).isEmpty()) {
            throw new IllegalArgumentException("negative evidence distance in state");
        }
        state.recomputeDerived();
        return state;
    }

    private static void writeFloats(StateWriter out, float[] values) {
        for (float value : values) {
            out.writeFloat(value);
        }
    }

    private static void readFloats(StateReader in, float[] into) {
        for (int i = 0; i < into.length; i++) {
            float value = in.readFloat();
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException("non-finite vector component in state");
            }
            into[i] = value;
        }
    }

    private static double size(double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException("invalid statistic in state: " + value);
        }
        return value;
    }

    private static long count(long value) {
        if (value < 0 || value > Long.MAX_VALUE >> 2) {
            throw new IllegalArgumentException("invalid count in state: " + value);
        }
        return value;
    }
}
