package dev.tamperwatch.load.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tamperwatch.detect.activity.ScalarState;
import dev.tamperwatch.detect.activity.StreamingScalarConfig;
import dev.tamperwatch.detect.activity.StreamingScalarDetector;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Streams every series of the Numenta Anomaly Benchmark through {@link StreamingScalarDetector},
 * one row at a time in file order with one configuration for all files, writes NAB's result layout
 * ({@code <out>/<category>/tamperwatch_<file>.csv} with {@code timestamp,anomaly_score}) and scores
 * it with the corpus's {@code score.py}.
 *
 * <p>The datasets folder is the system property {@code tamperwatch.datasets}, or else the first
 * {@code shared/datasets} found walking up from the working directory.
 *
 * <p>Usage: {@code NabRunner [OUT_DIR]} (default: a temporary folder).
 */
public final class NabRunner {

    /** Detector name in result file names. */
    public static final String DETECTOR = "tamperwatch";

    /** Published normalized scores (standard, low FP, low FN) of reference detectors. */
    public static final Map<String, double[]> PUBLISHED = published();

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private NabRunner() {}

    /** NAB scores of one run, normalized: null detector 0, perfect 100. */
    public record Scores(double standard, double lowFalsePositives, double lowFalseNegatives) {}

    /** Outcome of streaming the corpus. */
    public record Run(int files, long rows, long millis) {}

    /** The datasets folder, when one can be found. */
    public static Optional<Path> locateDatasets() {
        String property = System.getProperty("tamperwatch.datasets");
        if (property != null && !property.isBlank()) {
            Path path = Paths.get(property);
            return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("datasets");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Every data file of the corpus under {@code nab}, sorted by path. */
    public static List<Path> dataFiles(Path nab) {
        try (Stream<Path> files = Files.walk(nab.resolve("data"))) {
            return files.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Streams every corpus file through a fresh detector state and writes the result files. */
    public static Run run(Path nab, Path out, StreamingScalarConfig config) {
        StreamingScalarDetector detector = new StreamingScalarDetector(config);
        long started = System.nanoTime();
        List<Path> files = dataFiles(nab);
        long rows = 0;
        for (Path file : files) {
            Path relative = nab.resolve("data").relativize(file);
            Path target =
                    out.resolve(relative.getParent().toString())
                            .resolve(DETECTOR + "_" + file.getFileName());
            rows += scoreFile(detector, file, target);
        }
        return new Run(files.size(), rows, (System.nanoTime() - started) / 1_000_000);
    }

    private static long scoreFile(StreamingScalarDetector detector, Path data, Path target) {
        ScalarState state = detector.newState();
        long rows = 0;
        try {
            Files.createDirectories(target.getParent());
            try (BufferedReader in = Files.newBufferedReader(data, StandardCharsets.UTF_8);
                    BufferedWriter outFile =
                            Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
                String header = in.readLine();
                if (header == null || !header.trim().equals("timestamp,value")) {
                    throw new IllegalArgumentException(data + ": unexpected header " + header);
                }
                outFile.write("timestamp,anomaly_score\n");
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    int comma = line.indexOf(',');
                    String timestamp = line.substring(0, comma);
                    double value = Double.parseDouble(line.substring(comma + 1).trim());
                    long millis =
                            LocalDateTime.parse(timestamp, TIMESTAMP)
                                    .toInstant(ZoneOffset.UTC)
                                    .toEpochMilli();
                    double score = detector.score(state, millis, value);
                    outFile.write(timestamp);
                    outFile.write(',');
                    outFile.write(String.format(Locale.ROOT, "%.9f", score));
                    outFile.write('\n');
                    rows++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** Runs {@code python3 score.py OUT --json ...} of the corpus and reads its scores. */
    public static Scores score(Path nab, Path out) throws IOException, InterruptedException {
        Path json = Files.createTempFile("nab-scores", ".json");
        try {
            List<String> command =
                    List.of(
                            "python3",
                            nab.resolve("score.py").toString(),
                            out.toString(),
                            "--json",
                            json.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("score.py failed:\n" + output);
            }
            JsonNode scores = new ObjectMapper().readTree(json.toFile());
            return new Scores(
                    scores.get("standard").asDouble(),
                    scores.get("reward_low_FP_rate").asDouble(),
                    scores.get("reward_low_FN_rate").asDouble());
        } finally {
            Files.deleteIfExists(json);
        }
    }

    /** A table of these scores beside the published ones, best standard score first. */
    public static String report(Scores scores) {
        Map<String, double[]> rows = new LinkedHashMap<>();
        rows.put(
                DETECTOR + " (this run)",
                new double[] {
                    scores.standard(), scores.lowFalsePositives(), scores.lowFalseNegatives()
                });
        rows.putAll(PUBLISHED);
        List<Map.Entry<String, double[]>> sorted = new ArrayList<>(rows.entrySet());
        sorted.sort((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]));
        StringBuilder table = new StringBuilder();
        table.append(
                String.format(
                        Locale.ROOT,
                        "%-34s %9s %9s %9s%n",
                        "detector",
                        "standard",
                        "low FP",
                        "low FN"));
        for (Map.Entry<String, double[]> row : sorted) {
            double[] v = row.getValue();
            table.append(
                    String.format(
                            Locale.ROOT,
                            "%-34s %9.1f %9.1f %9.1f%n",
                            row.getKey(),
                            v[0],
                            v[1],
                            v[2]));
        }
        return table.toString();
    }

    public static void main(String[] args) throws Exception {
        Path datasets =
                locateDatasets()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "datasets folder not found: set"
                                                        + " -Dtamperwatch.datasets=..."));
        Path nab = datasets.resolve("nab");
        Path out = args.length > 0 ? Paths.get(args[0]) : Files.createTempDirectory("nab-results");
        Run run = run(nab, out, StreamingScalarConfig.defaults());
        System.out.printf(
                "streamed %d files, %d rows in %d ms into %s%n",
                run.files(), run.rows(), run.millis(), out);
        Scores scores = score(nab, out);
        System.out.print(report(scores));
    }

    private static Map<String, double[]> published() {
        Map<String, double[]> scores = new LinkedHashMap<>();
        scores.put("ARTime", new double[] {74.9, 65.1, 80.4});
        scores.put("Numenta HTM (NuPIC v0.5.6)", new double[] {70.1, 63.1, 74.3});
        scores.put("CAD OSE", new double[] {69.9, 67.0, 73.2});
        scores.put("earthgecko Skyline", new double[] {58.2, 46.2, 63.9});
        scores.put("KNN CAD", new double[] {58.0, 43.4, 64.8});
        scores.put("Relative Entropy", new double[] {54.6, 47.6, 58.8});
        scores.put("Random Cut Forest", new double[] {51.7, 38.4, 59.7});
        scores.put("Twitter ADVec", new double[] {47.1, 33.6, 53.5});
        scores.put("Windowed Gaussian", new double[] {39.6, 20.9, 47.4});
        scores.put("Etsy Skyline", new double[] {35.7, 27.1, 44.5});
        scores.put("Bayesian Changepoint", new double[] {17.7, 3.2, 32.2});
        return scores;
    }
}
