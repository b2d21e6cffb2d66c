package dev.tamperwatch.load.xstest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tamperwatch.detect.refusal.RefusalRateConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The refusal-rate detector on XSTest refusal streams: each model's real completions, shuffled with
 * a seed into windows of 40 outputs, refused as the human label says. Skipped when the shared
 * datasets are absent.
 */
@Tag("dataset")
@Tag("statistical")
class XsTestEvaluationTest {

    private static XsTestDataset data;

    @BeforeEach
    void requireDataset() {
        Optional<Path> dir = XsTestDataset.locate();
        Assumptions.assumeTrue(
                dir.isPresent(), "XSTest data not found; set -D" + XsTestDataset.DATASETS_PROPERTY);
        if (data == null) {
            data = XsTestDataset.load(dir.get());
        }
    }

    @Test
    void datasetJoinsEveryCompletionToItsHumanLabel() {
        assertThat(data.models())
                .containsExactly(
                        "llama2orig", "llama2new", "mistralinstruct", "mistralguard", "gpt4");
        for (String model : data.models()) {
            List<XsTestCompletion> completions = data.completions(model);
            assertThat(completions).hasSize(450);
            assertThat(completions.stream().filter(XsTestCompletion::safePrompt)).hasSize(250);
            assertThat(completions).allMatch(c -> c.lengthChars() >= 0);
        }
        assertThat(data.refusalRate("llama2orig")).isCloseTo(349 / 450.0, within(1e-12));
        assertThat(data.refusalRate("mistralinstruct")).isCloseTo(76 / 450.0, within(1e-12));
        assertThat(data.refusalRate("gpt4")).isCloseTo(220 / 450.0, within(1e-12));
    }

    @Test
    void falseAlarmRateOnUnchangedModelsStaysWithinTwiceTheConfiguredRate() {
        double configured = 1e-3;
        XsTestEvaluation evaluation =
                new XsTestEvaluation(
                        data,
                        XsTestEvaluation.Settings.defaults()
                                .withStreams(100)
                                .withDetector(
                                        RefusalRateConfig.defaults()
                                                .withFalseAlarmRate(configured)));
        List<XsTestEvaluation.FalseAlarms> rows = evaluation.falseAlarms();
        System.out.print(XsTestEvaluation.falseAlarmTable(rows, configured));
        long windows = rows.stream().mapToLong(XsTestEvaluation.FalseAlarms::scoredWindows).sum();
        long findings =
                rows.stream().mapToLong(r -> r.windowTestFindings() + r.cusumFindings()).sum();
        assertThat((double) findings / windows)
                .as(
                        "findings per scored key-window over all five models, window test and"
                                + " CUSUM at %s each; tolerance [0, 2 x %s]",
                        configured, configured)
                .isBetween(0.0, 2 * configured);
        for (XsTestEvaluation.FalseAlarms row : rows) {
            assertThat(row.rate())
                    .as("%s: per model, at most 4 x %s", row.model(), configured)
                    .isLessThanOrEqualTo(4 * configured);
        }
    }

    @Test
    void modelSwapsAndOverRefusalAreDetected() {
        XsTestEvaluation evaluation =
                new XsTestEvaluation(data, XsTestEvaluation.Settings.defaults().withStreams(100));
        int shiftWindows = evaluation.settings().shiftWindows();
        List<XsTestEvaluation.Detection> swaps = evaluation.modelSwaps();
        List<XsTestEvaluation.Detection> overRefusal = evaluation.overRefusal(0.5);
        System.out.print(XsTestEvaluation.detectionTable(swaps, shiftWindows));
        System.out.print(XsTestEvaluation.detectionTable(overRefusal, shiftWindows));
        for (XsTestEvaluation.Detection swap : swaps) {
            double change = Math.abs(swap.rateAfter() - swap.rateBefore());
            if (change >= 0.40) {
                assertThat(swap.inFirstWindow())
                        .as("%s: a change of 40 points or more, in the first window", swap.shift())
                        .isGreaterThanOrEqualTo(0.85);
            }
            if (change >= 0.10) {
                assertThat(swap.withinAll())
                        .as(
                                "%s: a change of 10 points or more, within %d windows",
                                swap.shift(), shiftWindows)
                        .isGreaterThanOrEqualTo(0.9);
            }
        }
        for (XsTestEvaluation.Detection shift : overRefusal) {
            assertThat(shift.withinAll())
                    .as("%s, within %d windows", shift.shift(), shiftWindows)
                    .isGreaterThanOrEqualTo(0.95);
        }
    }
}
