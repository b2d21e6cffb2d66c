package dev.tamperwatch.job;

import dev.tamperwatch.detect.embedding.EmbeddingDriftConfig;
import dev.tamperwatch.detect.refusal.RefusalRateConfig;
import dev.tamperwatch.detect.tools.ToolCallDistributionConfig;
import dev.tamperwatch.detect.usage.UsageConfig;
import dev.tamperwatch.job.alert.AlertFormat;
import java.io.Serializable;
import java.time.Duration;

/**
 * Everything the detect pipeline needs besides its source and sinks. Immutable; {@code with*}
 * methods return changed copies.
 *
 * @param maxOutOfOrderness how late (event time) an event may arrive and still count in its window
 * @param idleness wall-clock time after which a silent source partition stops holding back the
 *     watermark
 * @param window length of the tumbling event-time windows the baselines score
 * @param falseAlarmRate target false alarms per key and window of every window test, in (0, 1)
 * @param noveltyThreshold target false alarms per key and window of each novelty test (a never-seen
 *     tool, tool-to-tool transition or target)
 * @param stateTtl how long the baselines of a key that stops appearing are kept
 * @param alertFormat wire format of alerts
 * @param emitScores whether every score, not only alerts, leaves the pipeline (for backtests)
 * @param peerSeeding whether a key without history starts from its peer group's baseline as of its
 *     first event (whose scoring then waits for the watermark)
 */
public record PipelineConfig(
        Duration maxOutOfOrderness,
        Duration idleness,
        Duration window,
        double falseAlarmRate,
        double noveltyThreshold,
        Duration stateTtl,
        AlertFormat alertFormat,
        boolean emitScores,
        boolean peerSeeding)
        implements Serializable {

    public PipelineConfig {
        requirePositive(idleness, "idleness");
        requirePositive(window, "window");
        requirePositive(stateTtl, "state TTL");
        if (maxOutOfOrderness.isNegative()) {
            throw new IllegalArgumentException("max out-of-orderness must not be negative");
        }
        if (!(falseAlarmRate > 0 && falseAlarmRate < 1)) {
            throw new IllegalArgumentException(
                    "false-alarm rate must lie in (0, 1), was " + falseAlarmRate);
        }
        if (!(noveltyThreshold > 0 && noveltyThreshold < 1)) {
            throw new IllegalArgumentException(
                    "novelty threshold must lie in (0, 1), was " + noveltyThreshold);
        }
    }

    /**
     * Production defaults: 1 h windows, one false alarm per 100,000 key-windows, new keys seeded
     * from their peers.
     */
    public static PipelineConfig defaults() {
        return new PipelineConfig(
                Duration.ofMinutes(1),
                Duration.ofSeconds(30),
                Duration.ofHours(1),
                1e-5,
                0.01,
                Duration.ofDays(30),
                AlertFormat.OCSF,
                false,
                true);
    }

    public PipelineConfig withWindow(Duration value) {
        return new PipelineConfig(
                maxOutOfOrderness,
                idleness,
                value,
                falseAlarmRate,
                noveltyThreshold,
                stateTtl,
                alertFormat,
                emitScores,
                peerSeeding);
    }

    public PipelineConfig withFalseAlarmRate(double value) {
        return new PipelineConfig(
                maxOutOfOrderness,
                idleness,
                window,
                value,
                noveltyThreshold,
                stateTtl,
                alertFormat,
                emitScores,
                peerSeeding);
    }

    public PipelineConfig withMaxOutOfOrderness(Duration value) {
        return new PipelineConfig(
                value,
                idleness,
                window,
                falseAlarmRate,
                noveltyThreshold,
                stateTtl,
                alertFormat,
                emitScores,
                peerSeeding);
    }

    public PipelineConfig withIdleness(Duration value) {
        return new PipelineConfig(
                maxOutOfOrderness,
                value,
                window,
                falseAlarmRate,
                noveltyThreshold,
                stateTtl,
                alertFormat,
                emitScores,
                peerSeeding);
    }

    public PipelineConfig withAlertFormat(AlertFormat value) {
        return new PipelineConfig(
                maxOutOfOrderness,
                idleness,
                window,
                falseAlarmRate,
                noveltyThreshold,
                stateTtl,
                value,
                emitScores,
                peerSeeding);
    }

    public PipelineConfig withScores(boolean value) {
        return new PipelineConfig(
                maxOutOfOrderness,
                idleness,
                window,
                falseAlarmRate,
                noveltyThreshold,
                stateTtl,
                alertFormat,
                value,
                peerSeeding);
    }

    public PipelineConfig withPeerSeeding(boolean value) {
        return new PipelineConfig(
                maxOutOfOrderness,
                idleness,
                window,
                falseAlarmRate,
                noveltyThreshold,
                stateTtl,
                alertFormat,
                emitScores,
                value);
    }

    /** Configuration of the embedding-drift detector: the shared window rates over its defaults. */
    public EmbeddingDriftConfig embeddingDrift() {
        EmbeddingDriftConfig d = EmbeddingDriftConfig.defaults();
        return d.withFalseAlarmRates(d.eventFalseAlarmRate(), falseAlarmRate, falseAlarmRate);
    }

    /** Configuration of the usage detector: the shared per-window rate over its defaults. */
    public UsageConfig usage() {
        UsageConfig d = UsageConfig.defaults();
        return d.withFalseAlarmRates(d.outputFalseAlarmRate(), falseAlarmRate);
    }

    /** Configuration of the refusal-rate detector: the shared settings over its defaults. */
    public RefusalRateConfig refusalRate() {
        RefusalRateConfig d = RefusalRateConfig.defaults();
        return new RefusalRateConfig(
                window,
                falseAlarmRate,
                d.priorMean(),
                d.priorStrength(),
                d.warmUpObservations(),
                d.minWindowEvents(),
                d.maxBaselineSize());
    }

    /**
     * Configuration of the tool-call distribution detector: the shared settings over its defaults.
     */
    public ToolCallDistributionConfig toolCalls() {
        ToolCallDistributionConfig d = ToolCallDistributionConfig.defaults();
        return new ToolCallDistributionConfig(
                window,
                falseAlarmRate,
                noveltyThreshold,
                d.warmUpCalls(),
                d.maxTrackedTools(),
                d.maxBaselineSize(),
                d.smoothing(),
                d.minWindowCalls(),
                d.minExpectedPerBin(),
                d.maxToolNameBytes(),
                d.maxTrackedTransitions(),
                d.maxTrackedRuns(),
                d.maxTargetsPerTool(),
                d.maxTrackedTargets(),
                d.noveltyHorizon());
    }

    private static void requirePositive(Duration value, String name) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
