package dev.tamperwatch.job.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tamperwatch.job.backtest.IncidentLabel.KeyType;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads labels: JSON Lines, one label per non-blank line, {@code {"incident_id": "...", "scenario":
 * "...", "key_type": "principal|agent|model|trace|application", "key": "...", "start": ..., "end":
 * ...}}, times as epoch milliseconds or ISO-8601 strings. Other fields are ignored. This is the
 * format the load generator writes.
 */
public final class LabelsFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LabelsFile() {}

    /**
     * Reads every label of a file.
     *
     * @throws BacktestInputException for an unreadable file, or naming the first bad line and its
     *     field: not a JSON object, a missing or blank field, an unknown key type, a bad time, an
     *     end before the start, or a scenario that differs between lines of one incident
     */
    public static List<IncidentLabel> read(Path file) {
        String name = file.toString();
        List<IncidentLabel> labels = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Map<String, IncidentLabel> firstOfIncident = new HashMap<>();
            String line;
            long number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (number == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                IncidentLabel label = parse(line, number, name);
                IncidentLabel first = firstOfIncident.putIfAbsent(label.incidentId(), label);
                if (first != null && !first.scenario().equals(label.scenario())) {
                    throw bad(
                            name,
                            number,
                            "scenario: '"
                                    + label.scenario()
                                    + "' differs from '"
                                    + first.scenario()
                                    + "' given for incident '"
                                    + label.incidentId()
                                    + "' on line "
                                    + first.line());
                }
                labels.add(label);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BacktestInputException(
                    "--labels: cannot read " + name + ": " + describe(e), e);
        }
        return labels;
    }

    /** Parses one line; {@code number} and {@code file} only serve the error message. */
    static IncidentLabel parse(String line, long number, String file) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw bad(file, number, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw bad(file, number, "expected a JSON object");
        }
        String incidentId = text(node, "incident_id", number, file);
        String scenario = text(node, "scenario", number, file);
        String keyTypeName = text(node, "key_type", number, file);
        KeyType keyType = KeyType.ofJsonName(keyTypeName);
        if (keyType == null) {
            throw bad(
                    file,
                    number,
                    "key_type: '"
                            + keyTypeName
                            + "' is not one of "
                            + String.join(", ", KeyType.jsonNames()));
        }
        String key = text(node, "key", number, file);
        long start = time(node, "start", number, file);
        long end = time(node, "end", number, file);
        if (end < start) {
            throw bad(
                    file,
                    number,
                    "end: "
                            + Instant.ofEpochMilli(end)
                            + " is before start "
                            + Instant.ofEpochMilli(start));
        }
        return new IncidentLabel(incidentId, scenario, keyType, key, start, end, number);
    }

    private static String text(JsonNode node, String field, long number, String file) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw bad(file, number, "missing field '" + field + "'");
        }
        if (!value.isTextual()) {
            throw bad(file, number, field + ": expected a string, was " + value);
        }
        if (value.asText().isBlank()) {
            throw bad(file, number, field + ": must not be blank");
        }
        return value.asText();
    }

    private static long time(JsonNode node, String field, long number, String file) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw bad(file, number, "missing field '" + field + "'");
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        Long millis = value.isTextual() ? TimeArgument.parseInstant(value.asText()) : null;
        if (millis == null) {
            throw bad(
                    file,
                    number,
                    field
                            + ": "
                            + value
                            + " is neither epoch milliseconds nor an ISO-8601 time such as"
                            + " 2026-01-05T10:00:00Z");
        }
        return millis;
    }

    private static BacktestInputException bad(String file, long line, String problem) {
        return new BacktestInputException(file + " line " + line + ": " + problem);
    }

    static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.charset.MalformedInputException) {
            return "not UTF-8 text";
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
