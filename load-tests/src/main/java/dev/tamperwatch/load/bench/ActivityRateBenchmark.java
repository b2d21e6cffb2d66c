package dev.tamperwatch.load.bench;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.detect.activity.ActivityObservation;
import dev.tamperwatch.detect.activity.ActivityRateConfig;
import dev.tamperwatch.detect.activity.ActivityRateDetector;
import dev.tamperwatch.detect.activity.ActivityState;
import java.time.Duration;

/**
 * The activity-rate detector (default configuration) against {@link NaiveActivityRate}, counting
 * the events of the default traffic.
 */
public class ActivityRateBenchmark extends DetectorBenchmark<ActivityObservation, ActivityState> {

    private static final ActivityRateConfig CONFIG = ActivityRateConfig.defaults();

    private NaiveActivityRate reference;

    @Override
    protected Detector<ActivityObservation, ActivityState> createDetector() {
        return new ActivityRateDetector(CONFIG);
    }

    @Override
    protected ActivityObservation[] createInputs() {
        return BenchInputs.activity();
    }

    @Override
    protected Duration window() {
        return CONFIG.window();
    }

    @Override
    protected void resetReference() {
        reference = new NaiveActivityRate(CONFIG.window().toMillis(), CONFIG.falseAlarmRate());
    }

    @Override
    protected int referenceOnEvent(ActivityObservation input, long eventTime) {
        return reference.onEvent(input.eventId(), eventTime);
    }
}
