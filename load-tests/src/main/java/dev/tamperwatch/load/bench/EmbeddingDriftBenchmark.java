package dev.tamperwatch.load.bench;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.detect.embedding.EmbeddingDriftConfig;
import dev.tamperwatch.detect.embedding.EmbeddingDriftDetector;
import dev.tamperwatch.detect.embedding.EmbeddingObservation;
import dev.tamperwatch.detect.embedding.EmbeddingState;
import java.time.Duration;

/**
 * The embedding-drift detector (default configuration) against {@link NaiveEmbeddingCentroid}
 * keeping as many vectors as the detector's fast baseline spans, over the 384-dimension prompt
 * embeddings of the default traffic.
 */
public class EmbeddingDriftBenchmark
        extends DetectorBenchmark<EmbeddingObservation, EmbeddingState> {

    private static final EmbeddingDriftConfig CONFIG = EmbeddingDriftConfig.defaults();

    private NaiveEmbeddingCentroid reference;

    @Override
    protected Detector<EmbeddingObservation, EmbeddingState> createDetector() {
        return new EmbeddingDriftDetector(CONFIG);
    }

    @Override
    protected EmbeddingObservation[] createInputs() {
        return BenchInputs.promptEmbeddings();
    }

    @Override
    protected Duration window() {
        return CONFIG.window();
    }

    @Override
    protected void resetReference() {
        reference =
                new NaiveEmbeddingCentroid(
                        CONFIG.window().toMillis(),
                        CONFIG.eventFalseAlarmRate(),
                        (int) CONFIG.warmUpEvents(),
                        (int) CONFIG.fastBaselineEvents());
    }

    @Override
    protected int referenceOnEvent(EmbeddingObservation input, long eventTime) {
        return reference.onEvent(input.embedding(), input.eventId(), eventTime);
    }
}
