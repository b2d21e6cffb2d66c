package dev.tamperwatch.load.bench;

import dev.tamperwatch.schema.EventCodec;
import dev.tamperwatch.schema.avro.Event;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events in their wire form ({@link EventCodec}, Avro single-object encoding), packed into one byte
 * array so that millions of them cost little more than their encoded size.
 *
 * <p>A store is {@linkplain #register registered} under an id so that a Flink source running in the
 * same JVM (a MiniCluster) can read it without shipping the records in the job graph; the id is
 * meaningless in any other JVM. The store also records when the first record was read, the start of
 * a throughput measurement.
 */
public final class EncodedEvents {

    private static final Map<String, EncodedEvents> REGISTRY = new ConcurrentHashMap<>();

    private final byte[] blob;
    private final int[] offsets;
    private final AtomicLong firstReadNanos = new AtomicLong(Long.MIN_VALUE);

    private EncodedEvents(byte[] blob, int[] offsets) {
        this.blob = blob;
        this.offsets = offsets;
    }

    /**
     * Encodes up to {@code count} events of {@code events}.
     *
     * @throws IllegalArgumentException when the encoded events exceed 2 GiB
     */
    public static EncodedEvents encode(Iterator<Event> events, int count) {
        int[] offsets = new int[count + 1];
        byte[] blob = new byte[Math.max(1024, count * 256)];
        int size = 0;
        int n = 0;
        while (n < count && events.hasNext()) {
            byte[] bytes = EventCodec.encode(events.next());
            if (size + bytes.length > blob.length) {
                long grown = Math.max((long) blob.length * 3 / 2, (long) size + bytes.length);
                if (grown > Integer.MAX_VALUE - 16) {
                    throw new IllegalArgumentException("encoded events exceed 2 GiB");
                }
                blob = Arrays.copyOf(blob, (int) grown);
            }
            System.arraycopy(bytes, 0, blob, size, bytes.length);
            size += bytes.length;
            offsets[++n] = size;
        }
        return new EncodedEvents(Arrays.copyOf(blob, size), Arrays.copyOf(offsets, n + 1));
    }

    /** Makes {@code events} readable by id in this JVM; returns the id. */
    public static String register(EncodedEvents events) {
        String id = UUID.randomUUID().toString();
        REGISTRY.put(id, events);
        return id;
    }

    /**
     * The store registered under {@code id}.
     *
     * @throws IllegalStateException when none is (another JVM, or unregistered)
     */
    public static EncodedEvents lookUp(String id) {
        EncodedEvents events = REGISTRY.get(id);
        if (events == null) {
            throw new IllegalStateException(
                    "no encoded events registered as " + id + " in this JVM");
        }
        return events;
    }

    public static void unregister(String id) {
        REGISTRY.remove(id);
    }

    /** Number of events. */
    public int size() {
        return offsets.length - 1;
    }

    /** Encoded bytes over all events. */
    public long totalBytes() {
        return offsets[offsets.length - 1];
    }

    /** A copy of the wire form of event {@code index}. */
    public byte[] get(int index) {
        if (index < 0 || index >= size()) {
            throw new NoSuchElementException("no event " + index + " of " + size());
        }
        return Arrays.copyOfRange(blob, offsets[index], offsets[index + 1]);
    }

    /** Marks the start of a measurement: the first call after {@link #resetClock()} wins. */
    void markRead() {
        if (firstReadNanos.get() == Long.MIN_VALUE) {
            firstReadNanos.compareAndSet(Long.MIN_VALUE, System.nanoTime());
        }
    }

    /** {@link System#nanoTime()} of the first read since the last reset, or {@code MIN_VALUE}. */
    public long firstReadNanos() {
        return firstReadNanos.get();
    }

    public void resetClock() {
        firstReadNanos.set(Long.MIN_VALUE);
    }
}
