package dev.tamperwatch.deploy.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tamperwatch.schema.Topics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the alerts topic from its beginning on a background thread: prints each alert once (the
 * sink is at-least-once, so repeats are dropped by finding uid) and optionally appends its JSON to
 * a file.
 */
public final class AlertTail implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final PrintStream out;
    private final BufferedWriter file;
    private final Set<String> seen = new HashSet<>();
    private final List<AlertView> alerts = new ArrayList<>();
    private final AtomicLong lastArrival = new AtomicLong(System.nanoTime());
    private final Thread thread;
    private volatile boolean running = true;

    public AlertTail(String bootstrapServers, PrintStream out, Path alertsOut) throws IOException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "tamperwatch-demo-console");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        this.out = out;
        this.file = alertsOut == null ? null : Files.newBufferedWriter(alertsOut, UTF_8);
        consumer.subscribe(List.of(Topics.ALERTS));
        this.thread = new Thread(this::run, "alert-tail");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                accept(record.value());
            }
        }
        consumer.close(Duration.ofSeconds(2));
    }

    private synchronized void accept(String json) {
        AlertView alert = AlertView.parse(json);
        if (!seen.add(alert.uid())) {
            return;
        }
        alerts.add(alert);
        lastArrival.set(System.nanoTime());
        out.println("ALERT " + alert.line());
        if (file != null) {
            try {
                file.write(json);
                file.newLine();
                file.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The distinct alerts received so far, in arrival order. */
    public synchronized List<AlertView> alerts() {
        return List.copyOf(alerts);
    }

    /** Waits until no new alert has arrived for {@code quiet}, or {@code max} has passed. */
    public void awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline
                && System.nanoTime() - lastArrival.get() < quiet.toNanos()) {
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        running = false;
        thread.join(5_000);
        if (file != null) {
            file.close();
        }
    }
}
