package dev.tamperwatch.load.bench;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.detect.usage.UsageConfig;
import dev.tamperwatch.detect.usage.UsageDetector;
import dev.tamperwatch.detect.usage.UsageObservation;
import dev.tamperwatch.detect.usage.UsageState;
import java.time.Duration;

/**
 * The usage detector (default configuration) against {@link NaiveUsage}, over the prompts and
 * outputs of the default traffic.
 */
public class UsageBenchmark extends DetectorBenchmark<UsageObservation, UsageState> {

    private static final UsageConfig CONFIG = UsageConfig.defaults();

    private NaiveUsage reference;

    @Override
    protected Detector<UsageObservation, UsageState> createDetector() {
        return new UsageDetector(CONFIG);
    }

    @Override
    protected UsageObservation[] createInputs() {
        return BenchInputs.usage();
    }

    @Override
    protected Duration window() {
        return CONFIG.window();
    }

    @Override
    protected void resetReference() {
        reference =
                new NaiveUsage(
                        CONFIG.window().toMillis(),
                        CONFIG.outputFalseAlarmRate(),
                        CONFIG.windowFalseAlarmRate(),
                        (long) CONFIG.warmUpOutputs(),
                        (long) CONFIG.warmUpWindows(),
                        (int) CONFIG.maxBaselineOutputs(),
                        (int) CONFIG.maxBaselineWindows());
    }

    @Override
    protected int referenceOnEvent(UsageObservation input, long eventTime) {
        return reference.onEvent(
                input.outputTokens(),
                input.lengthChars(),
                input.inputTokens(),
                input.eventId(),
                eventTime);
    }
}
