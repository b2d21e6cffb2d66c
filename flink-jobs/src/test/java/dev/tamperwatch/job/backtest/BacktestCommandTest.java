package dev.tamperwatch.job.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tamperwatch.job.TestEvents;
import dev.tamperwatch.schema.EventJson;
import dev.tamperwatch.schema.avro.Event;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The backtest command end to end on a MiniCluster: a hand-made replay with one caught and one
 * missed incident and two malformed lines; repeatability; files, directories and Avro; bad inputs;
 * and the report rendered in a real headless browser.
 */
class BacktestCommandTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final long T0 = 1_780_000_000_000L / 3_600_000L * 3_600_000L;
    private static final long MINUTE = 60_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private final List<Event> events = new ArrayList<>();
    private long novelToolTime;
    private Path eventsFile;
    private Path labelsFile;

    private record Outcome(int status, String out, String err) {}

    @BeforeEach
    void writeInputs() throws Exception {
        TestEvents make = new TestEvents();
        String[] tools = {"search_kb", "get_customer", "update_ticket"};
        long t = T0;
        for (int i = 0; i < 300; i++, t += MINUTE) {
            events.add(make.action("agent-1", "u-9", t, tools[i % 3]));
            events.add(make.output("u-3", t + 1000, false));
        }
        novelToolTime = t;
        events.add(make.action("agent-1", "u-9", t, "export_table"));
        for (int i = 0; i < 40; i++) {
            events.add(make.output("u-3", t + 1000 + i * 90_000L, i % 2 == 0));
        }
        events.add(make.output("u-3", t + 90 * MINUTE, false));

        List<String> lines = new ArrayList<>();
        events.forEach(e -> lines.add(EventJson.write(e)));
        lines.add(150, "{\"event_id\": 17");
        lines.add(
                400,
                "{\"event_id\":\"7a3c0000-0000-4000-8000-00000000abcd\",\"event_time\":"
                        + (T0 + 100 * MINUTE)
                        + ",\"kind\":\"OUTPUT\",\"tenant_id\":\"acme\","
                        + "\"principal\":{\"type\":\"USER\",\"id\":\"u-3\"},\"output_tokens\":-4}");
        eventsFile = dir.resolve("events.jsonl");
        Files.write(eventsFile, lines);

        labelsFile = dir.resolve("labels.jsonl");
        Files.write(
                labelsFile,
                List.of(
                        label(
                                "prompt-injection-1",
                                "prompt-injection",
                                "agent",
                                "acme/agent-1",
                                novelToolTime - 10 * MINUTE,
                                novelToolTime + 10 * MINUTE),
                        label(
                                "jailbreak-campaign-2",
                                "jailbreak-campaign",
                                "principal",
                                "acme/u-3",
                                novelToolTime,
                                novelToolTime + 60 * MINUTE),
                        label(
                                "jailbreak-campaign-2",
                                "jailbreak-campaign",
                                "trace",
                                "acme/none",
                                novelToolTime,
                                novelToolTime + 60 * MINUTE)));
    }

    @Test
    void replaysAFileAndWritesAlertsMetricsAndReport() throws Exception {
        Path report = dir.resolve("report");

        Outcome run =
                backtest(
                        "--events", eventsFile.toString(),
                        "--labels", labelsFile.toString(),
                        "--report", report.toString());

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode metrics = JSON.readTree(report.resolve("metrics.json").toFile());
        assertThat(metrics.at("/input/records").asLong()).isEqualTo(events.size() + 2);
        assertThat(metrics.at("/input/events").asLong()).isEqualTo(events.size());
        assertThat(metrics.at("/input/dead_letters").asLong()).isEqualTo(2);
        // 20:00 to 02:30 UTC: agent-1, u-3 and u-9 (for whom agent-1 acts) are active on two
        // days each.
        assertThat(metrics.at("/input/key_days/agent").asLong()).isEqualTo(2);
        assertThat(metrics.at("/input/key_days/principal").asLong()).isEqualTo(4);
        assertThat(metrics.at("/labelled").asBoolean()).isTrue();
        assertThat(metrics.at("/overall/incidents").asInt()).isEqualTo(2);
        int detected = 0;
        for (JsonNode incident : metrics.at("/incidents")) {
            detected += incident.at("/detected").asBoolean() ? 1 : 0;
        }
        assertThat(metrics.at("/overall/detected").asInt()).isEqualTo(detected);
        assertThat(metrics.at("/incidents/1/labels")).hasSize(2);
        assertThat(metrics.at("/config/emit_scores").asBoolean()).isTrue();
        assertThat(metrics.at("/dead_letters/count").asInt()).isEqualTo(2);
        assertThat(metrics.at("/dead_letters/listed/0/origin").asText())
                .isEqualTo("events.jsonl:151");
        assertThat(metrics.at("/dead_letters/listed/0/reason").asText())
                .startsWith("<json>: not valid JSON");
        assertThat(metrics.at("/dead_letters/listed/1/origin").asText())
                .isEqualTo("events.jsonl:401");
        assertThat(metrics.at("/dead_letters/listed/1/reason").asText())
                .isEqualTo("payload.output_tokens: must be >= 0, was -4");
        List<String> alerts = Files.readAllLines(report.resolve("alerts.jsonl"));
        assertThat(alerts).hasSize(metrics.at("/alerts/total").asInt());
        long previous = Long.MIN_VALUE;
        for (String line : alerts) {
            JsonNode alert = JSON.readTree(line);
            assertThat(alert.at("/class_uid").asInt()).isEqualTo(2004);
            assertThat(alert.at("/time").asLong()).isGreaterThanOrEqualTo(previous);
            previous = alert.at("/time").asLong();
        }
        assertThat(run.out())
                .contains("run A (default settings): " + (events.size() + 2) + " records")
                .contains("incidents detected " + detected + " / 2");
        assertThat(run.err()).contains("backtest A: ").contains("done");
        String html = Files.readString(report.resolve("report.html"));
        assertThat(html)
                .contains("id=\"tw-metrics\"")
                .contains("echarts")
                .doesNotContain("src=\"http");
    }

    @Test
    void sameInputGivesTheSameMetricsAndAlertOrder() throws Exception {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");

        backtest(
                "--events",
                eventsFile.toString(),
                "--labels",
                labelsFile.toString(),
                "--report",
                first.toString());
        backtest(
                "--events",
                eventsFile.toString(),
                "--labels",
                labelsFile.toString(),
                "--report",
                second.toString());

        assertThat(Files.readString(second.resolve("metrics.json")))
                .isEqualTo(Files.readString(first.resolve("metrics.json")));
        assertThat(uids(second.resolve("alerts.jsonl")))
                .isEqualTo(uids(first.resolve("alerts.jsonl")));
        assertThat(Files.readString(second.resolve("alerts.jsonl")))
                .isEqualTo(Files.readString(first.resolve("alerts.jsonl")));
    }

    @Test
    void directoryOfJsonLinesAndAvroFilesReadsInNameOrder() throws Exception {
        Path single = dir.resolve("single");
        backtest("--events", eventsFile.toString(), "--report", single.toString());
        Path input = Files.createDirectory(dir.resolve("input"));
        int half = events.size() / 2;
        Files.write(
                input.resolve("1-first.jsonl"),
                events.subList(0, half).stream().map(EventJson::write).toList());
        try (DataFileWriter<Event> avro =
                new DataFileWriter<>(new SpecificDatumWriter<>(Event.class))) {
            avro.create(Event.getClassSchema(), input.resolve("2-second.avro").toFile());
            for (Event e : events.subList(half, events.size())) {
                avro.append(e);
            }
        }
        Path fromDirectory = dir.resolve("directory");

        Outcome run = backtest("--events", input.toString(), "--report", fromDirectory.toString());

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode metrics = JSON.readTree(fromDirectory.resolve("metrics.json").toFile());
        assertThat(metrics.at("/input/events").asLong()).isEqualTo(events.size());
        assertThat(metrics.at("/input/dead_letters").asLong()).isZero();
        assertThat(metrics.at("/labelled").asBoolean()).isFalse();
        assertThat(Files.readString(fromDirectory.resolve("alerts.jsonl")))
                .isEqualTo(Files.readString(single.resolve("alerts.jsonl")));
    }

    @Test
    void compareRunsBothConfigurations() throws Exception {
        Path lax = dir.resolve("lax.yaml");
        Files.writeString(lax, "novelty_threshold: 0.0001\nfalse_alarm_rate: 1e-9\n");
        Path report = dir.resolve("compared");

        Outcome run =
                backtest(
                        "--events",
                        eventsFile.toString(),
                        "--labels",
                        labelsFile.toString(),
                        "--report",
                        report.toString(),
                        "--compare",
                        lax.toString());

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode metrics = JSON.readTree(report.resolve("metrics.json").toFile());
        assertThat(metrics.at("/compare/config/novelty_threshold").asDouble()).isEqualTo(1e-4);
        assertThat(metrics.at("/comparison/alert_delta").asLong())
                .isEqualTo(
                        metrics.at("/compare/alerts/total").asLong()
                                - metrics.at("/alerts/total").asLong());
        assertThat(report.resolve("alerts-compare.jsonl")).exists();
        assertThat(run.out()).contains("run B (" + lax + ")");
    }

    @Test
    void unreadableEventsFileIsOneErrorAndStatus2() {
        Outcome run =
                backtest(
                        "--events",
                        dir.resolve("absent.jsonl").toString(),
                        "--report",
                        dir.resolve("r").toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err().strip())
                .isEqualTo(
                        "tamperwatch backtest: --events: cannot read "
                                + dir.resolve("absent.jsonl")
                                + ": no such file");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void labelsWithAnUnknownKeyTypeAreOneErrorAndStatus2() throws Exception {
        Path labels = dir.resolve("bad-type.jsonl");
        Files.write(
                labels,
                List.of(
                        label("a", "s", "agent", "acme/agent-1", T0, T0 + 1),
                        label("b", "s", "user", "acme/u", T0, T0 + 1)));

        Outcome run =
                backtest(
                        "--events",
                        eventsFile.toString(),
                        "--labels",
                        labels.toString(),
                        "--report",
                        dir.resolve("r").toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err().strip())
                .isEqualTo(
                        "tamperwatch backtest: "
                                + labels
                                + " line 2: key_type: 'user' is not one of principal, agent, model,"
                                + " trace, application");
    }

    @Test
    void labelsEndingBeforeTheyStartAreOneErrorAndStatus2() throws Exception {
        Path labels = dir.resolve("backwards.jsonl");
        Files.write(labels, List.of(label("a", "s", "agent", "acme/agent-1", T0 + 1000, T0)));

        Outcome run =
                backtest(
                        "--events",
                        eventsFile.toString(),
                        "--labels",
                        labels.toString(),
                        "--report",
                        dir.resolve("r").toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err().strip())
                .startsWith("tamperwatch backtest: " + labels + " line 1: end: ")
                .contains("is before start")
                .doesNotContain("\n");
    }

    @Test
    void unknownConfigSettingAndOffsetsOnFilesAreOneErrorAndStatus2() throws Exception {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, "windows: 1h\n");

        Outcome badConfig =
                backtest(
                        "--events",
                        eventsFile.toString(),
                        "--config",
                        config.toString(),
                        "--report",
                        dir.resolve("r").toString());
        Outcome offsets =
                backtest(
                        "--events",
                        eventsFile.toString(),
                        "--from",
                        "offset:5",
                        "--report",
                        dir.resolve("r").toString());

        assertThat(badConfig.status()).isEqualTo(2);
        assertThat(badConfig.err().strip())
                .startsWith(
                        "tamperwatch backtest: "
                                + config
                                + ": unknown setting 'windows'; known settings: ")
                .doesNotContain("\n");
        assertThat(offsets.status()).isEqualTo(2);
        assertThat(offsets.err().strip())
                .startsWith(
                        "tamperwatch backtest: --from: offset bounds apply to kafka: sources only");
    }

    @Test
    void eventTimeRangeOfAFile() throws Exception {
        Path report = dir.resolve("range");

        Outcome run =
                backtest(
                        "--events",
                        eventsFile.toString(),
                        "--report",
                        report.toString(),
                        "--from",
                        Long.toString(T0),
                        "--to",
                        java.time.Instant.ofEpochMilli(T0 + 60 * MINUTE).toString());

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode metrics = JSON.readTree(report.resolve("metrics.json").toFile());
        assertThat(metrics.at("/input/events").asLong()).isEqualTo(120);
    }

    @Test
    void reportRendersInAHeadlessBrowser() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Assumptions.assumeTrue(Files.isExecutable(chromium), "chromium is not installed");
        Path report = dir.resolve("browser");
        Path lax = dir.resolve("lax.yaml");
        Files.writeString(lax, "novelty_threshold: 0.0001\n");
        Outcome run =
                backtest(
                        "--events",
                        eventsFile.toString(),
                        "--labels",
                        labelsFile.toString(),
                        "--report",
                        report.toString(),
                        "--compare",
                        lax.toString());
        assertThat(run.status()).as(run.err()).isZero();

        String dom = dumpDom(chromium, report.resolve("report.html"));

        int charts = count(dom, Pattern.compile("<div class=\"chart[^\"]*\" id=\"[^\"]+\""));
        assertThat(charts).isGreaterThanOrEqualTo(4);
        assertThat(dom).contains("data-charts-rendered=\"" + charts + "\"");
        Matcher errors = Pattern.compile("<pre id=\"tw-errors\"[^>]*>([^<]*)</pre>").matcher(dom);
        assertThat(errors.find()).isTrue();
        assertThat(errors.group(1)).isEmpty();
        assertThat(count(dom, Pattern.compile("<svg"))).isGreaterThanOrEqualTo(charts);
        assertThat(dom).contains("prompt-injection-1 (prompt-injection): agent acme/agent-1");
    }

    static String dumpDom(Path chromium, Path html) throws Exception {
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

    private static List<String> uids(Path alerts) throws Exception {
        List<String> uids = new ArrayList<>();
        for (String line : Files.readAllLines(alerts)) {
            uids.add(JSON.readTree(line).at("/finding_info/uid").asText());
        }
        return uids;
    }

    private static String label(
            String id, String scenario, String keyType, String key, long start, long end) {
        return String.format(
                "{\"incident_id\":\"%s\",\"scenario\":\"%s\",\"key_type\":\"%s\",\"key\":\"%s\",\"start\":%d,\"end\":%d}",
                id, scenario, keyType, key, start, end);
    }

    private static Outcome backtest(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BacktestCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Outcome(status, out.toString(), err.toString());
    }
}
