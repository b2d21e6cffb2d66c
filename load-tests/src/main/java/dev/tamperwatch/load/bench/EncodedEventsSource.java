package dev.tamperwatch.load.bench;

import dev.tamperwatch.job.io.Decoded;
import dev.tamperwatch.job.io.RecordDecoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceEnumerator;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceReader;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceSplit;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded source over {@link EncodedEvents} registered in this JVM, decoding every record with
 * the pipeline's {@link RecordDecoder} inside the source, as the Kafka source does.
 *
 * <p>With {@code p} readers the events are dealt into {@code p} strided splits (split {@code k}
 * holds events {@code k, k + p, k + 2p, …}), so that readers advancing at similar speeds stay close
 * in event time, like the partitions of a topic keyed by principal.
 */
public final class EncodedEventsSource
        implements Source<
                        Decoded,
                        EncodedEventsSource.StridedSplit,
                        Collection<EncodedEventsSource.StridedSplit>>,
                ResultTypeQueryable<Decoded> {

    private static final String TOPIC = "bench";

    private final String storeId;

    /**
     * @param storeId id under which the events were {@linkplain EncodedEvents#register registered}
     */
    public EncodedEventsSource(String storeId) {
        this.storeId = storeId;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<Decoded, StridedSplit> createReader(SourceReaderContext context) {
        return new IteratorSourceReader<>(context);
    }

    @Override
    public SplitEnumerator<StridedSplit, Collection<StridedSplit>> createEnumerator(
            SplitEnumeratorContext<StridedSplit> context) {
        int size = EncodedEvents.lookUp(storeId).size();
        int stride = Math.max(1, context.currentParallelism());
        List<StridedSplit> splits = new ArrayList<>();
        for (int k = 0; k < Math.min(stride, size); k++) {
            splits.add(new StridedSplit(storeId, k, stride, k));
        }
        return new IteratorSourceEnumerator<>(context, splits);
    }

    @Override
    public SplitEnumerator<StridedSplit, Collection<StridedSplit>> restoreEnumerator(
            SplitEnumeratorContext<StridedSplit> context, Collection<StridedSplit> checkpoint) {
        return new IteratorSourceEnumerator<>(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<StridedSplit> getSplitSerializer() {
        return new SplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Collection<StridedSplit>> getEnumeratorCheckpointSerializer() {
        return new CheckpointSerializer();
    }

    @Override
    public TypeInformation<Decoded> getProducedType() {
        return TypeInformation.of(Decoded.class);
    }

    /**
     * Events {@code next, next + stride, …} of the store.
     *
     * @param first the split's first event, which names it
     * @param next the next event to read
     */
    public record StridedSplit(String storeId, int first, int stride, int next)
            implements IteratorSourceSplit<Decoded, DecodingIterator> {

        @Override
        public String splitId() {
            return Integer.toString(first);
        }

        @Override
        public DecodingIterator getIterator() {
            return new DecodingIterator(EncodedEvents.lookUp(storeId), next, stride);
        }

        @Override
        public IteratorSourceSplit<Decoded, DecodingIterator> getUpdatedSplitForIterator(
                DecodingIterator iterator) {
            return new StridedSplit(storeId, first, stride, iterator.next);
        }
    }

    /** Decodes the events of one split as it goes. */
    public static final class DecodingIterator implements Iterator<Decoded> {
        private final EncodedEvents events;
        private final int stride;
        private final RecordDecoder decoder = new RecordDecoder();
        private int next;
        private boolean started;

        DecodingIterator(EncodedEvents events, int next, int stride) {
            this.events = events;
            this.next = next;
            this.stride = stride;
        }

        @Override
        public boolean hasNext() {
            return next < events.size();
        }

        @Override
        public Decoded next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            if (!started) {
                events.markRead();
                started = true;
            }
            int index = next;
            next += stride;
            return decoder.decode(null, events.get(index), TOPIC, 0, index);
        }
    }

    private static final class SplitSerializer implements SimpleVersionedSerializer<StridedSplit> {

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(StridedSplit split) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                write(out, split);
            }
            return bytes.toByteArray();
        }

        @Override
        public StridedSplit deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return read(in);
            }
        }
    }

    private static final class CheckpointSerializer
            implements SimpleVersionedSerializer<Collection<StridedSplit>> {

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Collection<StridedSplit> splits) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(splits.size());
                for (StridedSplit split : splits) {
                    write(out, split);
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public Collection<StridedSplit> deserialize(int version, byte[] serialized)
                throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                int count = in.readInt();
                List<StridedSplit> splits = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    splits.add(read(in));
                }
                return splits;
            }
        }
    }

    private static void write(DataOutputStream out, StridedSplit split) throws IOException {
        out.writeUTF(split.storeId());
        out.writeInt(split.first());
        out.writeInt(split.stride());
        out.writeInt(split.next());
    }

    private static StridedSplit read(DataInputStream in) throws IOException {
        return new StridedSplit(in.readUTF(), in.readInt(), in.readInt(), in.readInt());
    }
}
