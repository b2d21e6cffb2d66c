package dev.tamperwatch.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tamperwatch.deploy.kafka.TamperwatchTopics;
import dev.tamperwatch.deploy.kafka.TestBroker;
import dev.tamperwatch.detect.refusal.RefusalRateDetector;
import dev.tamperwatch.detect.tools.ToolCallDistributionDetector;
import dev.tamperwatch.job.DetectJob;
import dev.tamperwatch.job.PipelineConfig;
import dev.tamperwatch.job.TestEvents;
import dev.tamperwatch.job.io.KafkaSettings;
import dev.tamperwatch.job.io.KafkaSettings.StartingOffsets;
import dev.tamperwatch.schema.DeadLetterHeaders;
import dev.tamperwatch.schema.EventCodec;
import dev.tamperwatch.schema.Topics;
import dev.tamperwatch.schema.avro.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The detect job on a Flink MiniCluster against a real Kafka broker: events in, the exact alerts
 * and dead letters out.
 */
class DetectJobITCase {

    /** Calls of history after which a never-seen tool in a window of 60 calls is improbable. */
    private static final int HISTORY_CALLS = 10_000;

    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long T0 = 1_780_000_000_000L / HOUR * HOUR;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestEvents events = new TestEvents();
    private final List<Produced> malformed = new ArrayList<>();
    private final List<String> spikeRefusals = new ArrayList<>();
    private String novelCall;
    private long spikeStart;
    private long novelTime;

    private record Produced(byte[] value, RecordMetadata metadata, String expectedMessage) {}

    @BeforeAll
    static void createTopics() throws Exception {
        try (Admin admin = TestBroker.newAdmin()) {
            TamperwatchTopics.create(admin, (short) 1);
        }
    }

    @Test
    void publishesExactlyTheExpectedAlertsAndDeadLetters() throws Exception {
        produceTraffic();
        JobClient job = startJob();
        try {
            List<ConsumerRecord<byte[], byte[]>> alerts = readUntil(Topics.ALERTS, 3);
            List<ConsumerRecord<byte[], byte[]>> deadLetters = readUntil(Topics.DEAD_LETTER, 3);

            assertRefusalAlert(alertOf(alerts, RefusalRateDetector.NAME, "acme/u-1"));
            // The novel tool is new for the agent and for the identity it acted for.
            assertNovelToolAlert(
                    alertOf(alerts, ToolCallDistributionDetector.NAME, "acme/agent-1"), "agent");
            assertNovelToolAlert(
                    alertOf(alerts, ToolCallDistributionDetector.NAME, "acme/u-9"), "principal");
            for (ConsumerRecord<byte[], byte[]> alert : alerts) {
                JsonNode json = JSON.readTree(alert.value());
                assertThat(new String(alert.key(), UTF_8))
                        .isEqualTo(json.path("finding_info").path("uid").asText());
            }
            assertDeadLetters(deadLetters);
        } finally {
            job.cancel().get();
        }
    }

    private void produceTraffic() throws Exception {
        List<Event> stream = new ArrayList<>();
        long t = T0;
        for (int hour = 0; hour < 12; hour++, t += HOUR) {
            for (int i = 0; i < 20; i++) {
                stream.add(events.output("u-1", t + i * 60_000L, i == 7 && hour % 2 == 0));
            }
        }
        spikeStart = t;
        for (int i = 0; i < 20; i++) {
            Event output = events.output("u-1", t + i * 60_000L, i % 4 != 0);
            stream.add(output);
            if (i % 4 != 0) {
                spikeRefusals.add(output.getEventId().toString());
            }
        }
        String[] tools = {"search_kb", "get_customer", "update_ticket"};
        long a = T0;
        for (int i = 0; i < HISTORY_CALLS; i++, a += 60_000L) {
            stream.add(events.action("agent-1", "u-9", a, tools[i % 3]));
        }
        Event novel = events.action("agent-1", "u-9", a, "export_table");
        novelCall = novel.getEventId().toString();
        novelTime = a;
        stream.add(novel);
        stream.add(events.output("u-2", spikeStart + HOUR + 5 * 60_000L, false));
        // Agents' actions for an identity are scored once the watermark passes them: later
        // traffic has to move it past the novel call.
        stream.add(events.output("u-2", novelTime + HOUR, false));
        stream.sort((x, y) -> x.getEventTime().compareTo(y.getEventTime()));

        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (Event event : stream) {
                String key = Topics.eventKey(event.getTenantId(), event.getPrincipal().getId());
                producer.send(
                        new ProducerRecord<>(
                                Topics.EVENTS, key.getBytes(UTF_8), EventCodec.encode(event)));
            }
            sendMalformed(
                    producer,
                    new byte[] {(byte) 0xC3, 0x01, 0x00},
                    "<bytes>: not an Avro single-object encoded Event (no 0xC3 0x01 marker and 8-byte"
                            + " fingerprint)");
            sendMalformed(
                    producer,
                    "{\"event_id\":\"not-a-uuid\",\"event_time\":1780000000000,\"kind\":\"PROMPT\","
                            .concat(
                                    "\"tenant_id\":\"acme\",\"principal\":{\"type\":\"USER\",\"id\":\"u-1\"}}")
                            .getBytes(UTF_8),
                    "event_id: must be a UUID");
            Event negative = events.output("u-3", T0, false);
            ((dev.tamperwatch.schema.avro.OutputPayload) negative.getPayload()).setOutputTokens(-4);
            sendMalformed(
                    producer,
                    EventCodec.encode(negative),
                    "payload.output_tokens: must be >= 0, was -4");
        }
    }

    private void sendMalformed(KafkaProducer<byte[], byte[]> producer, byte[] value, String message)
            throws Exception {
        RecordMetadata metadata =
                producer.send(
                                new ProducerRecord<>(
                                        Topics.EVENTS, "acme/bad".getBytes(UTF_8), value))
                        .get();
        malformed.add(new Produced(value, metadata, message));
    }

    private JobClient startJob() throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        KafkaSettings kafka =
                new KafkaSettings(
                        TestBroker.bootstrapServers(),
                        "detect-it-" + UUID.randomUUID(),
                        StartingOffsets.EARLIEST,
                        DeliveryGuarantee.AT_LEAST_ONCE,
                        Map.of());
        PipelineConfig config = PipelineConfig.defaults().withIdleness(Duration.ofSeconds(5));
        DetectJob.attach(env, kafka, config, Duration.ofSeconds(1));
        return env.executeAsync(DetectJob.NAME);
    }

    private void assertRefusalAlert(JsonNode alert) {
        assertThat(alert.path("class_uid").asInt()).isEqualTo(2004);
        assertThat(alert.path("time").asLong()).isEqualTo(spikeStart + HOUR);
        JsonNode tw = alert.path("unmapped").path("tamperwatch");
        assertThat(tw.path("subject").path("key_type").asText()).isEqualTo("principal");
        assertThat(tw.path("subject").path("key").asText()).isEqualTo("acme/u-1");
        assertThat(tw.path("window").path("start").asLong()).isEqualTo(spikeStart);
        assertThat(tw.path("window").path("end").asLong()).isEqualTo(spikeStart + HOUR);
        assertThat(alert.path("actor").path("user").path("uid").asText()).isEqualTo("u-1");
        JsonNode observed = alert.path("evidences").get(0).path("data");
        assertThat(observed.path("observed").asDouble()).isEqualTo(0.75);
        assertThat(observed.path("expected").asDouble()).isBetween(0.0, 0.1);
        assertThat(relatedEvents(alert)).containsExactlyElementsOf(spikeRefusals.subList(0, 8));
    }

    private void assertNovelToolAlert(JsonNode alert, String keyType) {
        assertThat(alert.path("time").asLong()).isEqualTo(novelTime);
        JsonNode tw = alert.path("unmapped").path("tamperwatch");
        assertThat(tw.path("subject").path("key_type").asText()).isEqualTo(keyType);
        assertThat(tw.path("on_behalf_of").path("id").asText()).isEqualTo("u-9");
        assertThat(alert.path("message").asText()).contains("export_table");
        assertThat(relatedEvents(alert)).containsExactly(novelCall);
    }

    private void assertDeadLetters(List<ConsumerRecord<byte[], byte[]>> deadLetters) {
        assertThat(deadLetters).hasSize(malformed.size());
        for (Produced expected : malformed) {
            ConsumerRecord<byte[], byte[]> letter =
                    deadLetters.stream()
                            .filter(
                                    r ->
                                            header(r, DeadLetterHeaders.SOURCE_OFFSET)
                                                    .equals(
                                                            Long.toString(
                                                                    expected.metadata().offset())))
                            .filter(
                                    r ->
                                            header(r, DeadLetterHeaders.SOURCE_PARTITION)
                                                    .equals(
                                                            Integer.toString(
                                                                    expected.metadata()
                                                                            .partition())))
                            .findFirst()
                            .orElseThrow();
            assertThat(letter.value()).isEqualTo(expected.value());
            assertThat(new String(letter.key(), UTF_8)).isEqualTo("acme/bad");
            assertThat(header(letter, DeadLetterHeaders.ERROR_CLASS)).isEqualTo("MalformedEvent");
            assertThat(header(letter, DeadLetterHeaders.ERROR_MESSAGE))
                    .startsWith(expected.expectedMessage());
            assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Topics.EVENTS);
        }
    }

    private static JsonNode alertOf(
            List<ConsumerRecord<byte[], byte[]>> alerts, String detector, String key)
            throws Exception {
        for (ConsumerRecord<byte[], byte[]> alert : alerts) {
            JsonNode json = JSON.readTree(alert.value());
            if (json.path("finding_info").path("analytic").path("name").asText().equals(detector)
                    && json.at("/unmapped/tamperwatch/subject/key").asText().equals(key)) {
                return json;
            }
        }
        throw new AssertionError("no " + detector + " alert on " + key + " among " + alerts.size());
    }

    private static List<String> relatedEvents(JsonNode alert) {
        return StreamSupport.stream(
                        alert.path("finding_info").path("related_events").spliterator(), false)
                .map(e -> e.path("uid").asText())
                .toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), UTF_8);
    }

    /**
     * Reads the topic from the beginning until {@code count} records arrived, then a bit longer.
     */
    private static List<ConsumerRecord<byte[], byte[]>> readUntil(String topic, int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(120))
                    .until(
                            () -> {
                                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                                return records.size() >= count;
                            });
            consumer.poll(Duration.ofSeconds(2)).forEach(records::add);
        }
        assertThat(records).as("records on " + topic).hasSize(count);
        return records;
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
