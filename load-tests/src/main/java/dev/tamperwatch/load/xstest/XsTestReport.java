package dev.tamperwatch.load.xstest;

import dev.tamperwatch.detect.refusal.RefusalRateConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Prints how the refusal-rate detector does on XSTest refusal streams: false alarms without a shift
 * at the default rate and at 1e-3, and detection of model swaps and of over-refusal at the default.
 *
 * <p>Usage: {@code XsTestReport [streams]}, default 200. The datasets directory is found as {@link
 * XsTestDataset#locate} describes; exits with status 2 when it is not.
 */
public final class XsTestReport {

    private XsTestReport() {}

    public static void main(String[] args) {
        Path dir =
                XsTestDataset.locate()
                        .orElseGet(
                                () -> {
                                    System.err.println(
                                            "XSTest data not found: set -D"
                                                    + XsTestDataset.DATASETS_PROPERTY
                                                    + "=<shared/datasets>");
                                    System.exit(2);
                                    return null;
                                });
        XsTestDataset data = XsTestDataset.load(dir);
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        XsTestEvaluation.Settings settings =
                XsTestEvaluation.Settings.defaults().withStreams(streams);
        System.out.printf(
                Locale.ROOT,
                "XSTest v2 (%s): %d outputs a window, %d windows of history, %d after a shift, %d"
                        + " streams per row%n%n",
                dir,
                settings.outputsPerWindow(),
                settings.historyWindows(),
                settings.shiftWindows(),
                streams);
        for (String model : data.models()) {
            List<XsTestCompletion> completions = data.completions(model);
            long safe = completions.stream().filter(XsTestCompletion::safePrompt).count();
            long safeRefused =
                    completions.stream().filter(c -> c.safePrompt() && c.refused()).count();
            System.out.printf(
                    Locale.ROOT,
                    "%-16s %d completions, refused %.1f%% (safe prompts %.1f%%, unsafe %.1f%%)%n",
                    model,
                    completions.size(),
                    100 * data.refusalRate(model),
                    100.0 * safeRefused / safe,
                    100.0
                            * (completions.stream().filter(XsTestCompletion::refused).count()
                                    - safeRefused)
                            / (completions.size() - safe));
        }
        for (double rate : new double[] {RefusalRateConfig.defaults().falseAlarmRate(), 1e-3}) {
            XsTestEvaluation evaluation =
                    new XsTestEvaluation(
                            data,
                            settings.withDetector(
                                    RefusalRateConfig.defaults().withFalseAlarmRate(rate)));
            System.out.println();
            System.out.print(XsTestEvaluation.falseAlarmTable(evaluation.falseAlarms(), rate));
        }
        XsTestEvaluation evaluation = new XsTestEvaluation(data, settings);
        System.out.println();
        System.out.print(
                XsTestEvaluation.detectionTable(evaluation.modelSwaps(), settings.shiftWindows()));
        System.out.println();
        List<XsTestEvaluation.Detection> overRefusal = new java.util.ArrayList<>();
        overRefusal.addAll(evaluation.overRefusal(0.25));
        overRefusal.addAll(evaluation.overRefusal(0.5));
        System.out.print(XsTestEvaluation.detectionTable(overRefusal, settings.shiftWindows()));
    }
}
