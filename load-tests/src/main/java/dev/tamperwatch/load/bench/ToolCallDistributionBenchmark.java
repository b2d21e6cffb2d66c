package dev.tamperwatch.load.bench;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.detect.tools.ToolCall;
import dev.tamperwatch.detect.tools.ToolCallDistributionConfig;
import dev.tamperwatch.detect.tools.ToolCallDistributionDetector;
import dev.tamperwatch.detect.tools.ToolCallState;
import java.time.Duration;

/**
 * The tool-call distribution detector (default configuration) against {@link NaiveToolMix}, over
 * the agent actions of the default traffic (with their runs, steps and targets).
 */
public class ToolCallDistributionBenchmark extends DetectorBenchmark<ToolCall, ToolCallState> {

    private static final ToolCallDistributionConfig CONFIG = ToolCallDistributionConfig.defaults();

    private NaiveToolMix reference;

    @Override
    protected Detector<ToolCall, ToolCallState> createDetector() {
        return new ToolCallDistributionDetector(CONFIG);
    }

    @Override
    protected ToolCall[] createInputs() {
        return BenchInputs.toolCalls();
    }

    @Override
    protected Duration window() {
        return CONFIG.window();
    }

    @Override
    protected void resetReference() {
        reference =
                new NaiveToolMix(
                        CONFIG.window().toMillis(),
                        CONFIG.falseAlarmRate(),
                        CONFIG.noveltyThreshold(),
                        CONFIG.warmUpCalls(),
                        CONFIG.smoothing(),
                        CONFIG.minWindowCalls(),
                        CONFIG.maxBaselineSize());
    }

    @Override
    protected int referenceOnEvent(ToolCall input, long eventTime) {
        return reference.onEvent(input.toolName(), input.eventId(), eventTime);
    }
}
