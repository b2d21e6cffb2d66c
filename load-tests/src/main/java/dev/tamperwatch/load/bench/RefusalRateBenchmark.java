package dev.tamperwatch.load.bench;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.detect.refusal.RefusalObservation;
import dev.tamperwatch.detect.refusal.RefusalRateConfig;
import dev.tamperwatch.detect.refusal.RefusalRateDetector;
import dev.tamperwatch.detect.refusal.RefusalState;
import java.time.Duration;

/**
 * The refusal-rate detector (default configuration) against {@link NaiveRefusalRate}, over the
 * outputs of the default traffic.
 */
public class RefusalRateBenchmark extends DetectorBenchmark<RefusalObservation, RefusalState> {

    private static final RefusalRateConfig CONFIG = RefusalRateConfig.defaults();

    private NaiveRefusalRate reference;

    @Override
    protected Detector<RefusalObservation, RefusalState> createDetector() {
        return new RefusalRateDetector(CONFIG);
    }

    @Override
    protected RefusalObservation[] createInputs() {
        return BenchInputs.refusals();
    }

    @Override
    protected Duration window() {
        return CONFIG.window();
    }

    @Override
    protected void resetReference() {
        reference =
                new NaiveRefusalRate(
                        CONFIG.window().toMillis(),
                        CONFIG.falseAlarmRate(),
                        CONFIG.priorMean(),
                        CONFIG.priorStrength(),
                        CONFIG.warmUpObservations(),
                        CONFIG.minWindowEvents(),
                        CONFIG.maxBaselineSize());
    }

    @Override
    protected int referenceOnEvent(RefusalObservation input, long eventTime) {
        return reference.onEvent(input.refused(), input.eventId(), eventTime);
    }
}
