package dev.tamperwatch.detect.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tamperwatch.detect.state.StateReader;
import dev.tamperwatch.detect.state.StateWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;

class LogHistogramTest {

    private static double lognormal(SplittableRandom random, double median, double sigma) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        double gauss = Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
        return median * Math.exp(sigma * gauss);
    }

    /** Values over 0 to 2^40, dense near small sizes, with exact zeros and repeats. */
    private static double anyValue(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> 0.0;
            case 1 -> random.nextInt(10);
            case 2 -> Math.floor(Math.exp(random.nextDouble() * 40 * Math.log(2)));
            default -> Math.round(lognormal(random, 400, 1.0));
        };
    }

    @Test
    void binsHoldTheirValuesWithinEdgesNinePercentApart() {
        assertThat(LogHistogram.binOf(0)).isZero();
        assertThat(LogHistogram.binOf(0.999)).isZero();
        assertThat(LogHistogram.binOf(1)).isEqualTo(1);
        assertThat(LogHistogram.binOf(2)).isEqualTo(9);
        assertThat(LogHistogram.binOf(1024)).isEqualTo(81);
        assertThat(LogHistogram.binOf(0x1p62)).isEqualTo(LogHistogram.MAX_BIN);
        assertThat(LogHistogram.binOf(Double.MAX_VALUE)).isEqualTo(LogHistogram.MAX_BIN);
        assertThat(LogHistogram.lowerEdge(LogHistogram.binOf(Integer.MAX_VALUE) + 1))
                .isGreaterThan(Integer.MAX_VALUE);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            double value = i < 2000 ? i : anyValue(random);
            int bin = LogHistogram.binOf(value);
            assertThat(LogHistogram.lowerEdge(bin))
                    .as("value %s", value)
                    .isLessThanOrEqualTo(value);
            assertThat(LogHistogram.lowerEdge(bin + 1)).as("value %s", value).isGreaterThan(value);
        }
        for (int bin = 1; bin < LogHistogram.MAX_BIN; bin++) {
            assertThat(LogHistogram.binOf(LogHistogram.lowerEdge(bin))).isEqualTo(bin);
            assertThat(LogHistogram.binOf(Math.nextDown(LogHistogram.lowerEdge(bin))))
                    .isEqualTo(bin - 1);
            assertThat(LogHistogram.lowerEdge(bin + 1) / LogHistogram.lowerEdge(bin))
                    .isCloseTo(Math.pow(2, 1.0 / 8), within(1e-12));
        }
    }

    @Test
    void invalidValuesAndWeightsAreRejectedByName() {
        LogHistogram histogram = new LogHistogram(8);
        for (double bad : new double[] {Double.NaN, -1, -0.001, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> histogram.add(bad, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("value must be finite and non-negative");
        }
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> histogram.add(1, bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("weight");
        }
        assertThatThrownBy(() -> histogram.scale(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> histogram.scale(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> histogram.quantile(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogHistogram(1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(histogram.isEmpty()).as("nothing was added").isTrue();
    }

    @Test
    void quantilesAgreeWithAKllSketchOfTheSameStream() {
        SplittableRandom random = new SplittableRandom(2);
        LogHistogram full = new LogHistogram(LogHistogram.MAX_BIN + 1);
        LogHistogram capped = new LogHistogram(UsageState.MAX_OUTPUT_BINS);
        KllDoublesSketch kll = KllDoublesSketch.newHeapInstance(200);
        for (int i = 0; i < 50_000; i++) {
            double value = Math.round(lognormal(random, 400, 0.8));
            full.add(value, 1);
            capped.add(value, 1);
            kll.update(value);
        }
        double rankError = kll.getNormalizedRankError(false);
        for (double q : new double[] {0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999}) {
            double low = kll.getQuantile(Math.max(0, q - rankError));
            double high = kll.getQuantile(Math.min(1, q + rankError));
            assertThat(full.quantile(q))
                    .as("q = %s against KLL's [%s, %s] widened by the bin's 4.5%%", q, low, high)
                    .isBetween(low / 1.045, high * 1.045);
            if (q >= 0.05) {
                assertThat(capped.quantile(q))
                        .as(
                                "q = %s, %d bins: collapsing only touches the bottom",
                                q, capped.maxBins())
                        .isEqualTo(full.quantile(q));
            }
        }
        assertThat(full.total()).isEqualTo(50_000.0);
        assertThat(capped.total()).isEqualTo(50_000.0);
        assertThat(capped.binCount()).isEqualTo(UsageState.MAX_OUTPUT_BINS);
        assertThat(capped.quantile(0.001))
                .as("the bottom collapses upwards")
                .isGreaterThanOrEqualTo(full.quantile(0.001));
    }

    @Test
    void midRankOfAValueMatchesItsShareBelow() {
        LogHistogram histogram = new LogHistogram(64);
        for (int i = 1; i <= 100; i++) {
            histogram.add(100 * i, 1);
        }
        assertThat(histogram.midRank(0)).isZero();
        assertThat(histogram.midRank(1e9)).isEqualTo(1.0);
        assertThat(histogram.midRank(5000)).isCloseTo(0.5, within(0.03));
        assertThat(new LogHistogram(8).midRank(7)).as("empty").isEqualTo(0.5);
    }

    /** Whole-stream histogram vs histograms of random parts merged in random order and grouping. */
    @Test
    void mergingPartsInAnyOrderEqualsTheWholeStream() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 300; trial++) {
            int maxBins = trial % 3 == 0 ? 8 : 2 + random.nextInt(60);
            int parts = 2 + random.nextInt(4);
            LogHistogram whole = new LogHistogram(maxBins);
            List<LogHistogram> pieces = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                pieces.add(new LogHistogram(maxBins));
            }
            int n = random.nextInt(2000);
            for (int i = 0; i < n; i++) {
                double value = anyValue(random);
                int weight = 1 + random.nextInt(3);
                whole.add(value, weight);
                pieces.get(random.nextInt(parts)).add(value, weight);
            }
            Collections.shuffle(pieces, new java.util.Random(trial));
            LogHistogram leftFold = new LogHistogram(maxBins);
            for (LogHistogram piece : pieces) {
                leftFold.merge(piece);
            }
            LogHistogram rightFold = new LogHistogram(pieces.get(parts - 1));
            for (int p = parts - 2; p >= 0; p--) {
                LogHistogram next = new LogHistogram(pieces.get(p));
                next.merge(rightFold);
                rightFold = next;
            }
            for (LogHistogram merged : List.of(leftFold, rightFold)) {
                assertThat(merged.binCount()).isEqualTo(whole.binCount());
                assertThat(merged.total()).isEqualTo(whole.total());
                for (int bin = 0; bin <= LogHistogram.MAX_BIN; bin++) {
                    assertThat(merged.weightIn(bin))
                            .as("trial %d bin %d", trial, bin)
                            .isEqualTo(whole.weightIn(bin));
                }
            }
        }
    }

    @Test
    void collapsingKeepsTheTopBinsAndMovesWeightOnlyUpwards() {
        LogHistogram capped = new LogHistogram(4);
        LogHistogram full = new LogHistogram(LogHistogram.MAX_BIN + 1);
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 5000; i++) {
            double value = anyValue(random);
            capped.add(value, 1);
            full.add(value, 1);
            assertThat(capped.binCount()).isLessThanOrEqualTo(4);
        }
        assertThat(capped.total()).isEqualTo(full.total());
        for (int bin = 0; bin <= LogHistogram.MAX_BIN; bin++) {
            assertThat(capped.weightFrom(bin))
                    .as("upper tail from bin %d never shrinks", bin)
                    .isGreaterThanOrEqualTo(full.weightFrom(bin));
        }
        int top = LogHistogram.binOf(full.quantile(1.0));
        assertThat(capped.weightIn(top)).isEqualTo(full.weightIn(top));
    }

    @Test
    void scalingShrinksWeightsAndDropsNegligibleBins() {
        LogHistogram histogram = new LogHistogram(16);
        histogram.add(10, 1000);
        histogram.add(1000, 1);
        histogram.scale(0.5e-3);
        assertThat(histogram.binCount()).as("the bin of weight 5e-4 is dropped").isEqualTo(1);
        assertThat(histogram.total()).isCloseTo(0.5, within(1e-6));
        histogram.scale(1.0);
        assertThat(histogram.total()).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void dividingValuesShiftsBinsByWholeBinsAndMergesThoseBelowOneIntoBinZero() {
        LogHistogram histogram = new LogHistogram(16);
        histogram.add(0, 1);
        histogram.add(1.5, 1);
        histogram.add(10, 2);
        histogram.add(1000, 3);
        histogram.divideValues(4);
        assertThat(histogram.binCount()).isEqualTo(3);
        assertThat(histogram.weightIn(0)).as("0 and 1.5 / 4").isEqualTo(2.0);
        assertThat(histogram.weightIn(LogHistogram.binOf(2.5))).isEqualTo(2.0);
        assertThat(histogram.weightIn(LogHistogram.binOf(250))).isEqualTo(3.0);
        assertThat(histogram.total()).isEqualTo(7.0);

        SplittableRandom random = new SplittableRandom(9);
        for (int trial = 0; trial < 1000; trial++) {
            double value = 1 + anyValue(random);
            double divisor = 1 + random.nextDouble(100);
            LogHistogram single = new LogHistogram(8);
            single.add(value, 1);
            single.divideValues(divisor);
            int bin = LogHistogram.binOf(single.quantile(1.0));
            assertThat(bin)
                    .as("%s / %s: never smaller, at most one bin larger", value, divisor)
                    .isBetween(
                            LogHistogram.binOf(value / divisor),
                            LogHistogram.binOf(value / divisor) + 1);
        }
        LogHistogram unchanged = new LogHistogram(16);
        unchanged.add(1000, 1);
        LogHistogram copy = new LogHistogram(unchanged);
        copy.divideValues(1.05);
        assertThat(copy).as("less than a bin").isEqualTo(unchanged);
        for (double invalid : new double[] {0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> unchanged.divideValues(invalid))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void encodingRoundTripsAndRejectsMalformedBins() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 500; trial++) {
            int maxBins = 2 + random.nextInt(60);
            LogHistogram histogram = new LogHistogram(maxBins);
            int n = random.nextInt(3000);
            for (int i = 0; i < n; i++) {
                histogram.add(anyValue(random), 0.5 + random.nextDouble());
            }
            if (random.nextBoolean()) {
                histogram.scale(random.nextDouble(1e-3, 1));
            }
            byte[] bytes = encode(histogram);
            StateReader in = new StateReader(bytes, 0);
            LogHistogram decoded = LogHistogram.readFrom(in, maxBins);
            in.expectEnd();
            assertThat(decoded).isEqualTo(histogram);
            assertThat(encode(decoded)).isEqualTo(bytes);
            assertThat(decoded.total())
                    .isCloseTo(histogram.total(), within(1e-5 * (1 + histogram.total())));
        }
        StateWriter outOfOrder = new StateWriter().writeVarLong(2);
        outOfOrder.writeVarLong(5).writeFloat(1f).writeVarLong(0).writeFloat(1f);
        assertThatThrownBy(() -> read(outOfOrder.toByteArray(), 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of order");
        StateWriter badWeight = new StateWriter().writeVarLong(1);
        badWeight.writeVarLong(5).writeFloat(Float.NaN);
        assertThatThrownBy(() -> read(badWeight.toByteArray(), 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weight");
        StateWriter beyond = new StateWriter().writeVarLong(1);
        beyond.writeVarLong(LogHistogram.MAX_BIN + 1).writeFloat(1f);
        assertThatThrownBy(() -> read(beyond.toByteArray(), 8))
                .isInstanceOf(IllegalArgumentException.class);
        StateWriter tooMany = new StateWriter().writeVarLong(9);
        assertThatThrownBy(() -> read(tooMany.toByteArray(), 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
    }

    @Test
    void tailFitRecoversAParetoIndexAndItsPredictiveIsConsistent() {
        SplittableRandom random = new SplittableRandom(6);
        LogHistogram histogram = new LogHistogram(UsageState.MAX_OUTPUT_BINS);
        for (int i = 0; i < 20_000; i++) {
            histogram.add(100 * Math.pow(1 - random.nextDouble(), -1 / 2.0), 1);
        }
        TailFit fit = histogram.tail(0.1);
        assertThat(fit.tailWeight() / fit.totalWeight()).isBetween(0.1, 0.13);
        assertThat(fit.scale())
                .as("mean log-excess of Pareto(2) is 1/2")
                .isCloseTo(0.5, within(0.05));
        for (double p : new double[] {1e-2, 1e-4, 1e-6}) {
            double value = fit.valueAt(p);
            int bin = LogHistogram.binOf(value);
            assertThat(fit.exceedance(bin))
                    .as("at the bin of valueAt(%s)", p)
                    .isGreaterThanOrEqualTo(p * 0.999);
            assertThat(fit.exceedance(bin + 1)).isLessThan(p);
            double truth = Math.pow(100 / value, 2);
            assertThat(truth).as("Pareto's own tail there").isBetween(p / 3, p * 3);
        }
        assertThat(fit.exceedance(fit.startBin())).isEqualTo(fit.tailWeight() / fit.totalWeight());
        assertThat(new LogHistogram(8).tail(0.1)).as("empty").isNull();
        LogHistogram zeros = new LogHistogram(8);
        zeros.add(0, 10);
        assertThat(zeros.tail(0.1)).as("only zeros").isNull();
        assertThatThrownBy(() -> new TailFit(0, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] encode(LogHistogram histogram) {
        StateWriter out = new StateWriter();
        histogram.writeTo(out);
        return out.toByteArray();
    }

    private static LogHistogram read(byte[] bytes, int maxBins) {
        return LogHistogram.readFrom(new StateReader(bytes, 0), maxBins);
    }
}
