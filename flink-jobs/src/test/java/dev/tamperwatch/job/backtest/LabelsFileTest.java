package dev.tamperwatch.job.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tamperwatch.job.backtest.IncidentLabel.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsFileTest {

    @TempDir Path dir;

    @Test
    void readsLabelsInEitherTimeForm() throws Exception {
        Path file =
                write(
                        "{\"incident_id\":\"jailbreak-campaign-1\",\"scenario\":\"jailbreak-campaign\","
                                + "\"key_type\":\"principal\",\"key\":\"acme/u-017\","
                                + "\"start\":1767830400000,\"end\":1767834000000}",
                        "",
                        "{\"incident_id\":\"pi-2\",\"scenario\":\"prompt-injection\","
                                + "\"key_type\":\"trace\",\"key\":\"acme/abc\","
                                + "\"start\":\"2026-01-08T00:00:00Z\",\"end\":\"2026-01-08T00:30:00Z\","
                                + "\"note\":\"extra fields are ignored\"}");

        List<IncidentLabel> labels = LabelsFile.read(file);

        assertThat(labels)
                .containsExactly(
                        new IncidentLabel(
                                "jailbreak-campaign-1",
                                "jailbreak-campaign",
                                KeyType.PRINCIPAL,
                                "acme/u-017",
                                1767830400000L,
                                1767834000000L,
                                1),
                        new IncidentLabel(
                                "pi-2",
                                "prompt-injection",
                                KeyType.TRACE,
                                "acme/abc",
                                1767830400000L,
                                1767832200000L,
                                3));
    }

    @Test
    void unknownKeyTypeNamesLineAndField() throws Exception {
        Path file = write(good("a"), good("b").replace("\"principal\"", "\"user\""));

        assertThatThrownBy(() -> LabelsFile.read(file))
                .isInstanceOf(BacktestInputException.class)
                .hasMessage(
                        file
                                + " line 2: key_type: 'user' is not one of principal, agent, model,"
                                + " trace, application");
    }

    @Test
    void endBeforeStart() throws Exception {
        Path file = write(good("a").replace("\"end\":2000", "\"end\":500"));

        assertThatThrownBy(() -> LabelsFile.read(file))
                .hasMessage(
                        file
                                + " line 1: end: 1970-01-01T00:00:00.500Z is before start"
                                + " 1970-01-01T00:00:01Z");
    }

    @Test
    void missingFieldBadTimeAndBadJson() throws Exception {
        Path missing = write(good("a").replace("\"scenario\":\"s\",", ""));
        Path badTime = write(good("a").replace("\"start\":1000", "\"start\":\"yesterday\""));
        Path badJson = write("{\"incident_id\":");

        assertThatThrownBy(() -> LabelsFile.read(missing))
                .hasMessage(missing + " line 1: missing field 'scenario'");
        assertThatThrownBy(() -> LabelsFile.read(badTime))
                .hasMessageStartingWith(
                        badTime + " line 1: start: \"yesterday\" is neither epoch milliseconds");
        assertThatThrownBy(() -> LabelsFile.read(badJson))
                .hasMessageStartingWith(badJson + " line 1: not valid JSON");
    }

    @Test
    void unreadableFile() {
        Path absent = dir.resolve("absent.jsonl");

        assertThatThrownBy(() -> LabelsFile.read(absent))
                .hasMessage("--labels: cannot read " + absent + ": no such file");
    }

    @Test
    void groupsLabelsIntoIncidents() throws Exception {
        Path file =
                write(
                        good("x"),
                        good("y"),
                        good("x").replace("\"principal\"", "\"trace\"").replace("2000", "3000"));

        List<Incident> incidents = Incident.of(LabelsFile.read(file));

        assertThat(incidents).extracting(Incident::id).containsExactly("x", "y");
        assertThat(incidents.get(0).labels()).hasSize(2);
        assertThat(incidents.get(0).end()).isEqualTo(3000);
    }

    private static String good(String id) {
        return "{\"incident_id\":\""
                + id
                + "\",\"scenario\":\"s\",\"key_type\":\"principal\",\"key\":\"acme/u\","
                + "\"start\":1000,\"end\":2000}";
    }

    private Path write(String... lines) throws Exception {
        Path file = Files.createTempFile(dir, "labels", ".jsonl");
        Files.write(file, List.of(lines));
        return file;
    }
}
