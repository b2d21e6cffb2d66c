package dev.tamperwatch.deploy.demo;

import dev.tamperwatch.schema.EventCodec;
import dev.tamperwatch.schema.Topics;
import dev.tamperwatch.schema.avro.Event;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a time-ordered event stream to the events topic: everything before {@code liveFrom} as
 * fast as the broker takes it, the rest paced so that event time runs {@code speedup} times faster
 * than the wall clock.
 */
final class PacedPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final PrintStream out;
    private long published;

    PacedPublisher(String bootstrapServers, PrintStream out) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        this.producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.out = out;
    }

    /** Events published so far. */
    long published() {
        return published;
    }

    /**
     * Publishes events up to, excluding, {@code liveUntil}: those before {@code liveFrom} as fast
     * as possible, the rest paced so that they end by {@code endByNanos} (wall clock, {@link
     * System#nanoTime()}) but never faster than {@code minSpeedup} times real time. When the
     * history overran the deadline, the rest is published without pacing: the attacks are always
     * complete.
     *
     * @return the event time of the last event published, or null if there was none
     */
    Instant run(
            Iterator<Event> events,
            Instant liveFrom,
            Instant liveUntil,
            double minSpeedup,
            long endByNanos,
            HistoryHook afterHistory)
            throws Exception {
        long historyStart = System.nanoTime();
        long liveStart = -1;
        double speedup = Double.POSITIVE_INFINITY;
        Instant last = null;
        while (events.hasNext()) {
            Event event = events.next();
            Instant time = event.getEventTime();
            if (!time.isBefore(liveUntil)) {
                break;
            }
            if (!time.isBefore(liveFrom)) {
                if (liveStart < 0) {
                    producer.flush();
                    reportHistory(historyStart, System.nanoTime());
                    afterHistory.run(published, historyStart);
                    liveStart = System.nanoTime();
                    double liveSeconds = (endByNanos - liveStart) / 1e9;
                    double simSeconds = Duration.between(liveFrom, liveUntil).toMillis() / 1e3;
                    speedup =
                            liveSeconds > 0
                                    ? Math.max(minSpeedup, simSeconds / liveSeconds)
                                    : speedup;
                    reportLive(speedup);
                }
                long due =
                        liveStart + (long) (Duration.between(liveFrom, time).toNanos() / speedup);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            send(event);
            last = time;
        }
        producer.flush();
        return last;
    }

    private void send(Event event) {
        String key = Topics.eventKey(event.getTenantId(), event.getPrincipal().getId());
        producer.send(new ProducerRecord<>(Topics.EVENTS, key, EventCodec.encode(event)));
        published++;
    }

    private void reportHistory(long startNanos, long endNanos) {
        double seconds = (endNanos - startNanos) / 1e9;
        out.printf(
                "history: %,d events (%d days of event time) published in %.1f s (%,.0f events/s)%n",
                published, DemoTraffic.HISTORY.toDays(), seconds, published / seconds);
    }

    private void reportLive(double speedup) {
        out.printf(
                Double.isInfinite(speedup)
                        ? "live: behind schedule, publishing the attacks without pacing%n"
                        : "live: event time now runs %.0fx faster than the wall clock; attacks"
                                + " begin%n",
                speedup);
    }

    /** Runs between the history and the live part, e.g. to wait until the job has caught up. */
    @FunctionalInterface
    interface HistoryHook {
        void run(long historyEvents, long historyStartNanos) throws Exception;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
