package dev.tamperwatch.load.xstest;

import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.refusal.RefusalObservation;
import dev.tamperwatch.detect.refusal.RefusalRateConfig;
import dev.tamperwatch.detect.refusal.RefusalRateDetector;
import dev.tamperwatch.detect.refusal.RefusalState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Runs {@link RefusalRateDetector} over refusal streams built from the XSTest completions: each
 * model is one identity whose outputs are its real completions, shuffled with a seed into windows,
 * refused when the human label says so. Measures the false-alarm rate on unchanged streams and the
 * detection of injected shifts: a model swap (the identity's outputs come from another model from
 * some window on) and over-refusal (a share of the safe-prompt completions that complied are
 * replaced by refusals).
 *
 * <p>Every stream is seeded from the settings' seed, the stream's index and the scenario, so
 * results do not depend on the order or parallelism in which streams run.
 */
public final class XsTestEvaluation {

    private static final long HOUR = 3_600_000L;

    /**
     * How streams are built and scored.
     *
     * @param detector settings of the refusal-rate detector; its window should be one hour
     * @param outputsPerWindow outputs in every window
     * @param historyWindows windows before a shift
     * @param shiftWindows windows after a shift in which a finding counts as a detection
     * @param streams independent streams per model and scenario
     * @param seed base seed
     */
    public record Settings(
            RefusalRateConfig detector,
            int outputsPerWindow,
            int historyWindows,
            int shiftWindows,
            int streams,
            long seed) {

        public Settings {
            if (outputsPerWindow < 1 || historyWindows < 1 || shiftWindows < 1 || streams < 1) {
                throw new IllegalArgumentException("window and stream counts must be positive");
            }
        }

        /**
         * Default detector; 40 outputs a window; 30 windows of history (the baseline reaches its
         * cap of 1000 outputs); 20 windows after a shift; 200 streams; seed 1.
         */
        public static Settings defaults() {
            return new Settings(RefusalRateConfig.defaults(), 40, 30, 20, 200, 1);
        }

        public Settings withDetector(RefusalRateConfig config) {
            return new Settings(
                    config, outputsPerWindow, historyWindows, shiftWindows, streams, seed);
        }

        public Settings withStreams(int count) {
            return new Settings(
                    detector, outputsPerWindow, historyWindows, shiftWindows, count, seed);
        }
    }

    /**
     * Findings on one model's streams with nothing changed.
     *
     * @param model the model
     * @param refusalRate its human-labelled refusal rate
     * @param scoredWindows key-windows scored (after the warm-up)
     * @param windowTestFindings findings of the window test
     * @param cusumFindings findings of the CUSUM
     */
    public record FalseAlarms(
            String model,
            double refusalRate,
            long scoredWindows,
            long windowTestFindings,
            long cusumFindings) {

        /** Findings of either kind per scored key-window. */
        public double rate() {
            return (windowTestFindings + cusumFindings) / (double) scoredWindows;
        }
    }

    /**
     * Detection of one injected shift over many streams. Delays are windows from the shift to the
     * first finding, 1 for the first shifted window; {@link Integer#MAX_VALUE} when the median
     * stream had none within the shift windows.
     *
     * @param shift what changed
     * @param rateBefore refusal rate before the shift
     * @param rateAfter expected refusal rate after it
     * @param streams streams run
     * @param inFirstWindow share of streams with a finding in the first shifted window
     * @param withinThree share with a finding within three windows
     * @param withinAll share with a finding within all shift windows
     * @param medianWindowTest median delay to the window test's first finding
     * @param medianCusum median delay to the CUSUM's first finding
     * @param medianAny median delay to the first finding of either
     */
    public record Detection(
            String shift,
            double rateBefore,
            double rateAfter,
            int streams,
            double inFirstWindow,
            double withinThree,
            double withinAll,
            int medianWindowTest,
            int medianCusum,
            int medianAny) {}

    private final XsTestDataset data;
    private final Settings settings;
    private final RefusalRateDetector detector;

    public XsTestEvaluation(XsTestDataset data, Settings settings) {
        this.data = data;
        this.settings = settings;
        this.detector = new RefusalRateDetector(settings.detector());
    }

    public Settings settings() {
        return settings;
    }

    /** False alarms per model over {@code historyWindows + shiftWindows} unchanged windows. */
    public List<FalseAlarms> falseAlarms() {
        List<FalseAlarms> rows = new ArrayList<>();
        int windows = settings.historyWindows() + settings.shiftWindows();
        for (String model : data.models()) {
            long[] totals =
                    IntStream.range(0, settings.streams())
                            .parallel()
                            .mapToObj(
                                    s -> {
                                        CompletionStream stream = stream(model, s, "unchanged");
                                        RefusalState state = detector.newState();
                                        long[] counts = new long[3];
                                        for (int w = 0; w < windows; w++) {
                                            if (state.baselineSize()
                                                    >= settings.detector().warmUpObservations()) {
                                                counts[0]++;
                                            }
                                            for (Finding f :
                                                    window(
                                                            state,
                                                            w,
                                                            () -> stream.next().refused())) {
                                                counts[isCusum(f) ? 2 : 1]++;
                                            }
                                        }
                                        return counts;
                                    })
                            .reduce(new long[3], XsTestEvaluation::sum);
            rows.add(
                    new FalseAlarms(
                            model, data.refusalRate(model), totals[0], totals[1], totals[2]));
        }
        return rows;
    }

    /**
     * Every ordered pair of models: the identity's outputs come from the second from the shift on.
     */
    public List<Detection> modelSwaps() {
        List<Detection> rows = new ArrayList<>();
        for (String from : data.models()) {
            for (String to : data.models()) {
                if (!from.equals(to)) {
                    rows.add(
                            detect(
                                    "swap " + from + " -> " + to,
                                    from,
                                    data.refusalRate(to),
                                    s -> {
                                        CompletionStream after = stream(to, s, "swap " + from);
                                        return () -> after.next().refused();
                                    }));
                }
            }
        }
        return rows;
    }

    /**
     * Per model: from the shift on, each safe-prompt completion that complied is replaced by a
     * refusal with probability {@code share}.
     */
    public List<Detection> overRefusal(double share) {
        List<Detection> rows = new ArrayList<>();
        for (String model : data.models()) {
            List<XsTestCompletion> completions = data.completions(model);
            double complied =
                    completions.stream().filter(c -> c.safePrompt() && !c.refused()).count()
                            / (double) completions.size();
            String name =
                    String.format(
                            Locale.ROOT, "%s, %.0f%% of safe answers refused", model, 100 * share);
            rows.add(
                    detect(
                            name,
                            model,
                            data.refusalRate(model) + share * complied,
                            s -> {
                                CompletionStream after = stream(model, s, name);
                                SplittableRandom coin = random(s, "coin " + name);
                                return () -> {
                                    XsTestCompletion c = after.next();
                                    return c.refused()
                                            || (c.safePrompt() && coin.nextDouble() < share);
                                };
                            }));
        }
        return rows;
    }

    /** Source of the refusal flags after the shift, for stream {@code s}. */
    private interface ShiftedOutputs {
        Supplier<Boolean> forStream(int s);
    }

    private Detection detect(String shift, String model, double rateAfter, ShiftedOutputs after) {
        int[][] delays =
                IntStream.range(0, settings.streams())
                        .parallel()
                        .mapToObj(
                                s -> {
                                    CompletionStream before = stream(model, s, "history");
                                    RefusalState state = detector.newState();
                                    int w = 0;
                                    for (; w < settings.historyWindows(); w++) {
                                        window(state, w, () -> before.next().refused());
                                    }
                                    Supplier<Boolean> shifted = after.forStream(s);
                                    int[] first = {-1, -1, -1};
                                    for (int k = 1; k <= settings.shiftWindows(); k++, w++) {
                                        for (Finding f : window(state, w, shifted)) {
                                            int kind = isCusum(f) ? 2 : 1;
                                            first[kind] = first[kind] < 0 ? k : first[kind];
                                            first[0] = first[0] < 0 ? k : first[0];
                                        }
                                    }
                                    return first;
                                })
                        .toArray(int[][]::new);
        return new Detection(
                shift,
                data.refusalRate(model),
                rateAfter,
                settings.streams(),
                share(delays, 1),
                share(delays, 3),
                share(delays, settings.shiftWindows()),
                median(delays, 1),
                median(delays, 2),
                median(delays, 0));
    }

    /** Plays window {@code w}: its outputs, then the watermark at its end. */
    private List<Finding> window(RefusalState state, int w, Supplier<Boolean> refusals) {
        long start = w * HOUR;
        for (int i = 0; i < settings.outputsPerWindow(); i++) {
            detector.onEvent(state, new RefusalObservation(refusals.get(), null), start + i);
        }
        return detector.onTime(state, start + HOUR);
    }

    private CompletionStream stream(String model, int s, String scenario) {
        return new CompletionStream(data.completions(model), random(s, model + "|" + scenario));
    }

    private SplittableRandom random(int s, String scenario) {
        return new SplittableRandom(settings.seed() * 1_000_003L + s * 7919L + scenario.hashCode());
    }

    private static boolean isCusum(Finding finding) {
        return finding.measures().get(0).name().equals("refusal_rate_sustained");
    }

    private static long[] sum(long[] a, long[] b) {
        long[] total = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            total[i] = a[i] + b[i];
        }
        return total;
    }

    private static double share(int[][] delays, int within) {
        return Arrays.stream(delays).filter(d -> d[0] > 0 && d[0] <= within).count()
                / (double) delays.length;
    }

    private static int median(int[][] delays, int column) {
        int[] sorted =
                Arrays.stream(delays)
                        .mapToInt(d -> d[column] < 0 ? Integer.MAX_VALUE : d[column])
                        .sorted()
                        .toArray();
        return sorted[sorted.length / 2];
    }

    /** The false alarms as a text table. */
    public static String falseAlarmTable(List<FalseAlarms> rows, double configured) {
        StringBuilder table = new StringBuilder();
        table.append(
                String.format(
                        Locale.ROOT,
                        "%-18s %8s %12s %12s %8s %10s   (configured %.0e per key-window each)%n",
                        "no shift",
                        "refusal",
                        "key-windows",
                        "window test",
                        "CUSUM",
                        "FA rate",
                        configured));
        for (FalseAlarms row : rows) {
            table.append(
                    String.format(
                            Locale.ROOT,
                            "%-18s %7.1f%% %12d %12d %8d %10.2e%n",
                            row.model(),
                            100 * row.refusalRate(),
                            row.scoredWindows(),
                            row.windowTestFindings(),
                            row.cusumFindings(),
                            row.rate()));
        }
        return table.toString();
    }

    /** The detections as a text table. */
    public static String detectionTable(List<Detection> rows, int shiftWindows) {
        StringBuilder table = new StringBuilder();
        table.append(
                String.format(
                        Locale.ROOT,
                        "%-48s %15s %7s %7s %7s   %s%n",
                        "shift",
                        "refusal rate",
                        "1st win",
                        "<= 3",
                        "<= " + shiftWindows,
                        "median delay: window test / CUSUM / first"));
        for (Detection row : rows) {
            table.append(
                    String.format(
                            Locale.ROOT,
                            "%-48s %6.1f%% -> %4.1f%% %7.3f %7.3f %7.3f   %s / %s / %s%n",
                            row.shift(),
                            100 * row.rateBefore(),
                            100 * row.rateAfter(),
                            row.inFirstWindow(),
                            row.withinThree(),
                            row.withinAll(),
                            delay(row.medianWindowTest(), shiftWindows),
                            delay(row.medianCusum(), shiftWindows),
                            delay(row.medianAny(), shiftWindows)));
        }
        return table.toString();
    }

    private static String delay(int windows, int shiftWindows) {
        return windows == Integer.MAX_VALUE ? ">" + shiftWindows : Integer.toString(windows);
    }
}
