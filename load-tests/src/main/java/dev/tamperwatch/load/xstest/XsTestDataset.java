package dev.tamperwatch.load.xstest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The XSTest v2 completions of five models with their human refusal labels (Röttger et al., NAACL
 * 2024), read from {@code refusal/} of the shared datasets: {@code xstest_v2_labels.csv} joined
 * with {@code xstest_v2_completions.jsonl.gz} on model and prompt id.
 *
 * <p>The datasets directory is the system property {@value #DATASETS_PROPERTY} when set, else the
 * first {@code shared/datasets} found walking up from the working directory.
 */
public final class XsTestDataset {

    /** System property naming the shared datasets directory. */
    public static final String DATASETS_PROPERTY = "tamperwatch.datasets";

    static final String LABELS = "xstest_v2_labels.csv";
    static final String COMPLETIONS = "xstest_v2_completions.jsonl.gz";

    private final Map<String, List<XsTestCompletion>> byModel;

    private XsTestDataset(Map<String, List<XsTestCompletion>> byModel) {
        this.byModel = byModel;
    }

    /** The {@code refusal/} directory holding both files, when it can be found. */
    public static Optional<Path> locate() {
        String configured = System.getProperty(DATASETS_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return withFiles(Path.of(configured).resolve("refusal"));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Optional<Path> found = withFiles(dir.resolve("shared/datasets/refusal"));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> withFiles(Path refusal) {
        return Files.isRegularFile(refusal.resolve(LABELS))
                        && Files.isRegularFile(refusal.resolve(COMPLETIONS))
                ? Optional.of(refusal)
                : Optional.empty();
    }

    /**
     * Reads both files of {@code refusalDir}.
     *
     * @throws UncheckedIOException when a file cannot be read
     * @throws IllegalStateException when a completion has no label, a label no completion, or a
     *     column is missing
     */
    public static XsTestDataset load(Path refusalDir) {
        try {
            Map<String, String[]> labels = readLabels(refusalDir.resolve(LABELS));
            Map<String, List<XsTestCompletion>> byModel = new LinkedHashMap<>();
            ObjectMapper json = new ObjectMapper();
            int joined = 0;
            try (BufferedReader lines =
                    new BufferedReader(
                            new InputStreamReader(
                                    new GZIPInputStream(
                                            Files.newInputStream(refusalDir.resolve(COMPLETIONS))),
                                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node = json.readTree(line);
                    String model = node.path("model").asText();
                    int id = node.path("id").asInt();
                    String completion = node.path("completion").asText();
                    String[] label = labels.get(model + "/" + id);
                    if (label == null) {
                        throw new IllegalStateException("no label for " + model + "/" + id);
                    }
                    byModel.computeIfAbsent(model, m -> new ArrayList<>())
                            .add(
                                    new XsTestCompletion(
                                            model,
                                            id,
                                            label[0].equals("safe"),
                                            label[1],
                                            completion.codePointCount(0, completion.length())));
                    joined++;
                }
            }
            if (joined != labels.size()) {
                throw new IllegalStateException(
                        labels.size() + " labels but " + joined + " completions");
            }
            return new XsTestDataset(byModel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Model and id to {prompt_label, final_label}. */
    private static Map<String, String[]> readLabels(Path file) throws IOException {
        List<List<String>> records;
        try (Reader in =
                new BufferedReader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            records = Csv.read(in);
        }
        List<String> header = records.get(0);
        int model = column(header, "model");
        int id = column(header, "id");
        int promptLabel = column(header, "prompt_label");
        int finalLabel = column(header, "final_label");
        Map<String, String[]> labels = new HashMap<>();
        for (List<String> record : records.subList(1, records.size())) {
            if (record.size() < header.size()) {
                throw new IllegalStateException("short record in " + file + ": " + record);
            }
            labels.put(
                    record.get(model) + "/" + record.get(id),
                    new String[] {record.get(promptLabel), record.get(finalLabel)});
        }
        return labels;
    }

    private static int column(List<String> header, String name) {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new IllegalStateException("no column " + name + " in " + header);
        }
        return index;
    }

    /** Model keys in file order. */
    public List<String> models() {
        return List.copyOf(byModel.keySet());
    }

    /** The completions of {@code model}, in file order. */
    public List<XsTestCompletion> completions(String model) {
        List<XsTestCompletion> completions = byModel.get(model);
        if (completions == null) {
            throw new IllegalArgumentException("unknown model " + model + "; have " + models());
        }
        return completions;
    }

    /** Share of {@code model}'s completions the humans labelled a refusal, full or partial. */
    public double refusalRate(String model) {
        List<XsTestCompletion> completions = completions(model);
        return completions.stream().filter(XsTestCompletion::refused).count()
                / (double) completions.size();
    }
}
