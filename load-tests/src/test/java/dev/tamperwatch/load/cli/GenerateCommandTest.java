package dev.tamperwatch.load.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tamperwatch.load.Label;
import dev.tamperwatch.schema.EventJson;
import dev.tamperwatch.schema.avro.Event;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {

    @TempDir Path dir;

    private static final String[] SCENARIO = {
        "--days",
        "0.25",
        "--seed",
        "3",
        "--identities",
        "10",
        "--agents",
        "4",
        "--attack",
        "jailbreak-campaign@30m",
        "--attack",
        "prompt-injection@2h",
        "--tail",
        "30m"
    };

    @Test
    void sameArgumentsWriteTheSameEventsAndLabels() throws Exception {
        String out = generate(dir.resolve("a/events.jsonl"), dir.resolve("a/labels.jsonl"));
        generate(dir.resolve("b/events.jsonl"), dir.resolve("b/labels.jsonl"));

        assertThat(Files.readString(dir.resolve("b/events.jsonl")))
                .isEqualTo(Files.readString(dir.resolve("a/events.jsonl")));
        assertThat(Files.readString(dir.resolve("b/labels.jsonl")))
                .isEqualTo(Files.readString(dir.resolve("a/labels.jsonl")));
        List<Label> labels = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("a/labels.jsonl"))) {
            labels.add(Label.fromJson(line));
        }
        assertThat(labels.get(0).incidentId()).isEqualTo("jailbreak-campaign-1");
        assertThat(labels.get(0).keyType()).isEqualTo(Label.KeyType.PRINCIPAL);
        assertThat(labels).extracting(Label::incidentId).contains("prompt-injection-2");
        List<String> lines = Files.readAllLines(dir.resolve("a/events.jsonl"));
        assertThat(lines).hasSizeGreaterThan(500);
        long previous = Long.MIN_VALUE;
        for (String line : lines) {
            long time = EventJson.parse(line).getEventTime().toEpochMilli();
            assertThat(time).isGreaterThanOrEqualTo(previous);
            previous = time;
        }
        assertThat(out).contains("wrote " + String.format("%,d", lines.size()) + " events");
        assertThat(out).contains("of 2 incidents");
    }

    @Test
    void avroFileHoldsTheSameEvents() throws Exception {
        generate(dir.resolve("events.jsonl"), dir.resolve("labels.jsonl"));
        generate(dir.resolve("events.avro"), dir.resolve("labels2.jsonl"));

        List<String> fromAvro = new ArrayList<>();
        try (DataFileReader<Event> avro =
                new DataFileReader<>(
                        dir.resolve("events.avro").toFile(),
                        new SpecificDatumReader<>(Event.class))) {
            avro.forEach(e -> fromAvro.add(EventJson.write(e)));
        }
        assertThat(fromAvro).isEqualTo(Files.readAllLines(dir.resolve("events.jsonl")));
    }

    @Test
    void unknownScenarioIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new GenerateCommand());
        cli.setErr(new PrintWriter(err, true));

        int status =
                cli.execute(
                        "--events",
                        dir.resolve("e").toString(),
                        "--labels",
                        dir.resolve("l").toString(),
                        "--attack",
                        "data-poisoning@1h");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("unknown scenario 'data-poisoning'");
    }

    private static String generate(Path events, Path labels) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new GenerateCommand());
        cli.setOut(new PrintWriter(out, true));
        List<String> args = new ArrayList<>(List.of(SCENARIO));
        args.addAll(List.of("--events", events.toString(), "--labels", labels.toString()));
        int status = cli.execute(args.toArray(String[]::new));
        assertThat(status).isZero();
        return out.toString();
    }
}
