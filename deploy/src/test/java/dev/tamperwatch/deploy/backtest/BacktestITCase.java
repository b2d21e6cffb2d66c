package dev.tamperwatch.deploy.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tamperwatch.deploy.Main;
import dev.tamperwatch.deploy.kafka.TestBroker;
import dev.tamperwatch.schema.EventCodec;
import dev.tamperwatch.schema.EventJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tamperwatch generate} and {@code tamperwatch backtest} through the launcher's entry point,
 * on a local MiniCluster: a seeded labelled stream whose recall and false-alert rate must fall in
 * stated ranges, repeatability, a Kafka offset range, and the report in a headless browser.
 */
class BacktestITCase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private record Outcome(int status, String out, String err) {}

    /**
     * Two days of history for 60 identities and 8 agents, then three jailbreak campaigns and three
     * prompt injections two hours apart (the generator's default plan), about 35,000 events.
     * Ranges: a jailbreak campaign (40 to 60 prompts in an hour, half refused) stands far outside
     * any identity's refusal baseline, so at least two of the three must be caught; the pipeline as
     * a whole must catch at least a third of all incidents, with at most 25 false alerts per 1,000
     * key-days and a median detection delay of at most two hours (hourly windows plus their close).
     */
    @Test
    void labelledGeneratedStreamMeetsStatedRecallAndFalseAlertRanges() throws Exception {
        Path events = dir.resolve("data/events.jsonl");
        Path labels = dir.resolve("data/labels.jsonl");
        Outcome generated =
                tamperwatch(
                        "generate",
                        "--days",
                        "2",
                        "--seed",
                        "11",
                        "--identities",
                        "60",
                        "--agents",
                        "8",
                        "--events",
                        events.toString(),
                        "--labels",
                        labels.toString());
        assertThat(generated.status()).as(generated.err()).isZero();
        assertThat(generated.out()).contains("of 6 incidents");
        Path report = dir.resolve("report");

        long started = System.nanoTime();
        Outcome run =
                tamperwatch(
                        "backtest",
                        "--events",
                        events.toString(),
                        "--labels",
                        labels.toString(),
                        "--report",
                        report.toString());
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode m = JSON.readTree(report.resolve("metrics.json").toFile());
        assertThat(m.at("/input/dead_letters").asLong()).isZero();
        assertThat(m.at("/overall/incidents").asInt()).isEqualTo(6);
        assertThat(m.at("/overall/recall").asDouble()).isBetween(1.0 / 3, 1.0);
        assertThat(m.at("/by_scenario/jailbreak-campaign/recall").asDouble())
                .isBetween(2.0 / 3, 1.0);
        assertThat(m.at("/overall/false_alerts_per_1000_key_days/all").asDouble())
                .isBetween(0.0, 25.0);
        assertThat(m.at("/overall/precision").asDouble()).isBetween(0.5, 1.0);
        assertThat(m.at("/overall/detection_delay/median_ms").asDouble())
                .isBetween(0.0, 2 * 3_600_000.0);
        assertThat(m.at("/input/key_days/principal").asLong()).isBetween(100L, 180L);
        assertThat(run.out()).contains("incidents detected").contains("report: ");
        assertThat(seconds).as("backtest wall time, s").isLessThan(120);

        Path chromium = Path.of("/usr/bin/chromium");
        if (Files.isExecutable(chromium)) {
            String dom = dumpDom(chromium, report.resolve("report.html"));
            int charts = count(dom, Pattern.compile("<div class=\"chart[^\"]*\" id=\"[^\"]+\""));
            assertThat(charts).isGreaterThanOrEqualTo(2 + 6);
            assertThat(dom).contains("data-charts-rendered=\"" + charts + "\"");
            assertThat(count(dom, Pattern.compile("<svg"))).isGreaterThanOrEqualTo(charts);
            assertThat(dom).contains("<pre id=\"tw-errors\"></pre>");
        }
    }

    @Test
    void replayingTheSameFileTwiceGivesIdenticalMetricsAndAlerts() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Path labels = dir.resolve("labels.jsonl");
        assertThat(small(events, labels).status()).isZero();

        Outcome first = backtest(events, labels, dir.resolve("first"));
        Outcome second = backtest(events, labels, dir.resolve("second"));

        assertThat(first.status()).as(first.err()).isZero();
        assertThat(second.status()).as(second.err()).isZero();
        String alerts = Files.readString(dir.resolve("first/alerts.jsonl"));
        assertThat(alerts).isNotEmpty();
        assertThat(Files.readString(dir.resolve("second/alerts.jsonl"))).isEqualTo(alerts);
        assertThat(Files.readString(dir.resolve("second/metrics.json")))
                .isEqualTo(Files.readString(dir.resolve("first/metrics.json")));
    }

    @Test
    void replaysAnOffsetRangeOfATopicLikeTheFile() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Path labels = dir.resolve("labels.jsonl");
        assertThat(small(events, labels).status()).isZero();
        String topic = "backtest-" + System.nanoTime();
        List<String> lines = Files.readAllLines(events);
        try (Admin admin = TestBroker.newAdmin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                TestBroker.bootstrapServers(),
                                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                                ByteArraySerializer.class,
                                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                                ByteArraySerializer.class,
                                ProducerConfig.LINGER_MS_CONFIG,
                                20))) {
            producer.send(new ProducerRecord<>(topic, "junk".getBytes(StandardCharsets.UTF_8)))
                    .get();
            for (String line : lines) {
                byte[] value = EventCodec.encode(EventJson.parse(line));
                producer.send(new ProducerRecord<>(topic, value));
            }
            producer.send(new ProducerRecord<>(topic, "after".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
        Outcome fromFile = backtest(events, labels, dir.resolve("file"));

        Outcome fromKafka =
                tamperwatch(
                        "backtest",
                        "--events",
                        "kafka:" + topic,
                        "--from",
                        "offset:1",
                        "--to",
                        "offset:" + (lines.size() + 1),
                        "--bootstrap-servers",
                        TestBroker.bootstrapServers(),
                        "--labels",
                        labels.toString(),
                        "--report",
                        dir.resolve("kafka").toString());

        assertThat(fromFile.status()).as(fromFile.err()).isZero();
        assertThat(fromKafka.status()).as(fromKafka.err()).isZero();
        JsonNode m = JSON.readTree(dir.resolve("kafka/metrics.json").toFile());
        assertThat(m.at("/input/records").asLong()).isEqualTo(lines.size());
        assertThat(m.at("/input/dead_letters").asLong()).isZero();
        assertThat(Files.readString(dir.resolve("kafka/alerts.jsonl")))
                .isEqualTo(Files.readString(dir.resolve("file/alerts.jsonl")));
        assertThat(fromKafka.err())
                .contains("of " + String.format("%,d", lines.size()) + " records");
    }

    @Test
    void unknownTopicIsOneErrorAndStatus2() {
        Outcome run =
                tamperwatch(
                        "backtest",
                        "--events",
                        "kafka:no-such-topic",
                        "--bootstrap-servers",
                        TestBroker.bootstrapServers(),
                        "--report",
                        dir.resolve("r").toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err().strip())
                .isEqualTo(
                        "tamperwatch backtest: --events: topic 'no-such-topic' not found on "
                                + TestBroker.bootstrapServers());
    }

    /** A day and a half for 30 identities and 6 agents, then two attacks; about 13,000 events. */
    private Outcome small(Path events, Path labels) {
        return tamperwatch(
                "generate",
                "--days",
                "1.5",
                "--seed",
                "5",
                "--identities",
                "30",
                "--agents",
                "6",
                "--attack",
                "jailbreak-campaign@1h",
                "--attack",
                "prompt-injection@3h",
                "--tail",
                "2h",
                "--events",
                events.toString(),
                "--labels",
                labels.toString());
    }

    private Outcome backtest(Path events, Path labels, Path report) {
        return tamperwatch(
                "backtest",
                "--events",
                events.toString(),
                "--labels",
                labels.toString(),
                "--report",
                report.toString());
    }

    private static Outcome tamperwatch(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Outcome(status, out.toString(), err.toString());
    }

    private static String dumpDom(Path chromium, Path html) throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        Path out = Files.createTempFile("dom", ".html");
        Process browser =
                new ProcessBuilder(
                                chromium.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--user-data-dir=" + profile,
                                "--dump-dom",
                                html.toUri().toString())
                        .redirectOutput(out.toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        try {
            if (!browser.waitFor(90, TimeUnit.SECONDS)) {
                browser.destroyForcibly();
                throw new AssertionError("chromium did not finish within 90 s");
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            try (java.util.stream.Stream<Path> files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static int count(String text, Pattern pattern) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
