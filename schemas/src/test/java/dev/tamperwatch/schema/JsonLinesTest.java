package dev.tamperwatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tamperwatch.schema.JsonLinesReader.Parsed;
import dev.tamperwatch.schema.avro.Event;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesTest {

    @Test
    void writesAndReadsBackAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("events.jsonl");
        List<Event> events = TestEvents.all().toList();
        try (JsonLinesWriter writer = JsonLinesWriter.open(file)) {
            for (Event event : events) {
                writer.write(event);
            }
        }

        List<Parsed> parsed = readAll(JsonLinesReader.open(file, TestEvents.VALIDATOR));

        assertThat(Files.readAllLines(file)).hasSize(events.size());
        assertThat(parsed).allMatch(Parsed::isEvent);
        assertThat(parsed).extracting(Parsed::event).containsExactlyElementsOf(events);
        assertThat(parsed).extracting(Parsed::lineNumber).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void reportsBadLinesWithTheirNumbersAndKeepsReading() throws IOException {
        String good = EventJson.write(TestEvents.minimalPrompt());
        String invalid = good.replace("\"u-17\"", "\" \"");
        String text = "\uFEFF" + good + "\n\n{not json\r\n" + invalid + "\n   \n" + good + "\n";

        List<Parsed> parsed =
                readAll(new JsonLinesReader(new StringReader(text), TestEvents.VALIDATOR));

        assertThat(parsed).extracting(Parsed::lineNumber).containsExactly(1L, 3L, 4L, 6L);
        assertThat(parsed).extracting(Parsed::isEvent).containsExactly(true, false, false, true);
        assertThat(parsed.get(1).errorMessage()).startsWith("line 3: <json>: not valid JSON");
        assertThat(parsed.get(2).errorMessage())
                .isEqualTo("line 4: principal.id: must not be blank");
        assertThat(parsed.get(0).errorMessage()).isNull();
    }

    @Test
    void withoutValidatorOnlyParses() throws IOException {
        String invalid = EventJson.write(TestEvents.minimalPrompt()).replace("\"u-17\"", "\"\"");

        List<Parsed> parsed = readAll(new JsonLinesReader(new StringReader(invalid)));

        assertThat(parsed).singleElement().matches(Parsed::isEvent);
    }

    private static List<Parsed> readAll(JsonLinesReader reader) throws IOException {
        List<Parsed> parsed = new ArrayList<>();
        try (reader) {
            reader.forEachRemaining(parsed::add);
        }
        return parsed;
    }
}
