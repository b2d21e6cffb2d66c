package dev.tamperwatch.job.backtest;

import dev.tamperwatch.job.io.Decoded;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The pipeline's watermark strategy driven by the data instead of the wall clock, for replays that
 * must give the same result every time: the wrapped generator's periodic emission is called from
 * {@code onEvent} whenever event time has advanced by {@code stepMillis} since the last call, and
 * never by the wall-clock timer (run the job with {@code pipeline.auto-watermark-interval} 0). The
 * watermark at every record is then a function of the records before it, so windows close at the
 * same records in every run; idleness never triggers.
 */
public final class DeterministicWatermarks implements WatermarkStrategy<Decoded> {

    private static final long serialVersionUID = 1L;

    private final WatermarkStrategy<Decoded> delegate;
    private final long stepMillis;

    public DeterministicWatermarks(WatermarkStrategy<Decoded> delegate, long stepMillis) {
        if (stepMillis < 1) {
            throw new IllegalArgumentException("step must be at least 1 ms");
        }
        this.delegate = delegate;
        this.stepMillis = stepMillis;
    }

    @Override
    public WatermarkGenerator<Decoded> createWatermarkGenerator(
            WatermarkGeneratorSupplier.Context context) {
        WatermarkGenerator<Decoded> inner = delegate.createWatermarkGenerator(context);
        return new WatermarkGenerator<>() {
            private long nextEmit = Long.MIN_VALUE;

            @Override
            public void onEvent(Decoded record, long timestamp, WatermarkOutput output) {
                inner.onEvent(record, timestamp, output);
                if (record.isValid() && timestamp >= nextEmit) {
                    inner.onPeriodicEmit(output);
                    nextEmit = timestamp + stepMillis;
                }
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                // wall-clock driven: deliberately ignored
            }
        };
    }

    @Override
    public TimestampAssigner<Decoded> createTimestampAssigner(
            TimestampAssignerSupplier.Context context) {
        return delegate.createTimestampAssigner(context);
    }
}
