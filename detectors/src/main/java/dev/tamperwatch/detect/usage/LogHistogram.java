package dev.tamperwatch.detect.usage;

import dev.tamperwatch.detect.state.StateReader;
import dev.tamperwatch.detect.state.StateWriter;
import java.util.Arrays;

/**
 * Weighted histogram of non-negative values on fixed logarithmic bins, with a bounded number of
 * bins: a mergeable quantile sketch with relative accuracy, whose weights can be scaled down so
 * that old observations fade.
 *
 * <p><b>Bins.</b> Bin 0 holds values below 1 (in practice 0); bin {@code b >= 1} holds [2<sup>(b -
 * 1)/8</sup>, 2<sup>b/8</sup>): eight bins per doubling, each 9% wide, so any value is known to
 * within ±4.4%. Values are capped at 2<sup>62</sup>, the top of bin {@value #MAX_BIN}.
 *
 * <p><b>Bounded size.</b> At most {@code maxBins} bins hold weight. When a new bin would exceed
 * that, the lowest bins collapse into the lowest bin kept, as in DDSketch: the histogram then holds
 * the top {@code maxBins} bins of everything added, with the weight from below piled into the
 * lowest of them. Collapsing only ever moves weight upwards, so upper-tail probabilities read from
 * the histogram can only grow: every upper-tail test on it stays conservative.
 *
 * <p><b>Merging.</b> {@link #merge} adds the other histogram's weights bin by bin, collapsing as
 * needed. A histogram is determined by the bins ever added and their weights — the top {@code
 * maxBins} of them, the rest piled into the lowest — so as long as no bin was dropped by {@link
 * #scale}, merging is commutative and associative: exactly in which bins hold weight, and up to
 * float rounding in the weights.
 *
 * <p>Weights are floats; a bin whose weight falls below {@value #MIN_WEIGHT} after scaling is
 * dropped. Not thread-safe.
 */
public final class LogHistogram {

    /** Bins per doubling of the value. */
    public static final int BINS_PER_OCTAVE = 8;

    /** Highest bin index: the bin of 2<sup>62</sup>. */
    public static final int MAX_BIN = 62 * BINS_PER_OCTAVE + 1;

    /** Weight below which a bin is dropped after scaling. */
    public static final float MIN_WEIGHT = 1e-3f;

    private static final double LN2 = Math.log(2.0);
    private static final double HALF_BIN_LOG = LN2 / BINS_PER_OCTAVE / 2;
    private static final double MAX_VALUE = 0x1p62;
    private static final double[] LOWER_EDGES = new double[MAX_BIN + 2];

    static {
        for (int bin = 1; bin < LOWER_EDGES.length; bin++) {
            LOWER_EDGES[bin] = Math.pow(2.0, (bin - 1) / (double) BINS_PER_OCTAVE);
        }
    }

    private final int maxBins;
    private int size;
    private int[] bins;
    private float[] weights;
    private double total;

    /** An empty histogram holding at most {@code maxBins} bins, at least 2. */
    public LogHistogram(int maxBins) {
        if (maxBins < 2 || maxBins > MAX_BIN + 1) {
            throw new IllegalArgumentException("maxBins out of range [2, 498]: " + maxBins);
        }
        this.maxBins = maxBins;
        this.bins = new int[Math.min(maxBins, 16)];
        this.weights = new float[bins.length];
    }

    /** A copy of {@code other}. */
    public LogHistogram(LogHistogram other) {
        this.maxBins = other.maxBins;
        this.size = other.size;
        this.bins = Arrays.copyOf(other.bins, Math.max(1, other.bins.length));
        this.weights = Arrays.copyOf(other.weights, bins.length);
        this.total = other.total;
    }

    /**
     * Bin of a value; see the class description. The bin is found from the binary exponent and
     * three comparisons with the edges of its octave, so values on an edge fall exactly into the
     * bin that edge opens.
     */
    public static int binOf(double value) {
        requireValue(value);
        if (value < 1.0) {
            return 0;
        }
        if (value >= MAX_VALUE) {
            return MAX_BIN;
        }
        int bin = 1 + BINS_PER_OCTAVE * Math.getExponent(value);
        if (value >= LOWER_EDGES[bin + 4]) {
            bin += 4;
        }
        if (value >= LOWER_EDGES[bin + 2]) {
            bin += 2;
        }
        if (value >= LOWER_EDGES[bin + 1]) {
            bin++;
        }
        return bin;
    }

    /** Smallest value of a bin: 0 for bin 0, else 2<sup>(bin - 1)/8</sup>; bin in [0, 499]. */
    public static double lowerEdge(int bin) {
        return LOWER_EDGES[bin];
    }

    /** Natural logarithm of the lower edge of a bin of at least 1. */
    static double logLowerEdge(int bin) {
        return (bin - 1) * LN2 / BINS_PER_OCTAVE;
    }

    /** Representative value of a bin: 0 for bin 0, else the geometric middle of its edges. */
    public static double midpoint(int bin) {
        return bin == 0 ? 0.0 : Math.exp(logMidpoint(bin));
    }

    private static double logMidpoint(int bin) {
        return logLowerEdge(bin) + HALF_BIN_LOG;
    }

    /**
     * Adds {@code weight} at {@code value}.
     *
     * @throws IllegalArgumentException when {@code value} is NaN, infinite or negative, or {@code
     *     weight} is not positive and finite
     */
    public void add(double value, double weight) {
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be positive and finite: " + weight);
        }
        addToBin(binOf(value), (float) weight);
    }

    /** Adds every bin of {@code other} to this one; see the class description. */
    public void merge(LogHistogram other) {
        for (int i = 0; i < other.size; i++) {
            addToBin(other.bins[i], other.weights[i]);
        }
    }

    /**
     * Multiplies every weight by {@code factor} in (0, 1], dropping bins that fall below {@link
     * #MIN_WEIGHT}.
     */
    public void scale(double factor) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("scale factor must lie in (0, 1]: " + factor);
        }
        if (factor == 1.0) {
            return;
        }
        int kept = 0;
        double sum = 0;
        for (int i = 0; i < size; i++) {
            float scaled = (float) (weights[i] * factor);
            if (scaled >= MIN_WEIGHT) {
                bins[kept] = bins[i];
                weights[kept] = scaled;
                sum += scaled;
                kept++;
            }
        }
        size = kept;
        total = sum;
    }

    /**
     * Divides every value by {@code divisor}, at least 1: moves each bin down by the whole bins the
     * divisor spans, {@code floor(8 log2 divisor)}, merging the bins that fall below 1 into bin 0.
     * Values thus shrink by at most {@code divisor}, so upper-tail tests on the result stay
     * conservative; the total weight is unchanged.
     */
    public void divideValues(double divisor) {
        if (!(divisor >= 1) || Double.isInfinite(divisor)) {
            throw new IllegalArgumentException("divisor must be finite and at least 1: " + divisor);
        }
        int shift = (int) Math.floor(BINS_PER_OCTAVE * Math.log(divisor) / LN2 + 1e-9);
        if (shift == 0) {
            return;
        }
        int kept = 0;
        for (int i = 0; i < size; i++) {
            int bin = Math.max(0, bins[i] - shift);
            if (kept > 0 && bins[kept - 1] == bin) {
                weights[kept - 1] += weights[i];
            } else {
                bins[kept] = bin;
                weights[kept] = weights[i];
                kept++;
            }
        }
        size = kept;
    }

    /** Whether adding {@code value} would leave every bin in place, collapsing none. */
    public boolean hasRoomFor(double value) {
        int bin = binOf(value);
        return size < maxBins || bin <= bins[0] || Arrays.binarySearch(bins, 0, size, bin) >= 0;
    }

    /** Total weight. */
    public double total() {
        return total;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Number of bins holding weight. */
    public int binCount() {
        return size;
    }

    public int maxBins() {
        return maxBins;
    }

    /** Weight of values in bins at or above {@code bin}. */
    public double weightFrom(int bin) {
        double weight = 0;
        for (int i = size - 1; i >= 0 && bins[i] >= bin; i--) {
            weight += weights[i];
        }
        return weight;
    }

    /** Weight of values in bins below {@code bin}. */
    public double weightBelow(int bin) {
        double weight = 0;
        for (int i = 0; i < size && bins[i] < bin; i++) {
            weight += weights[i];
        }
        return weight;
    }

    /** Weight in exactly {@code bin}. */
    public double weightIn(int bin) {
        int i = Arrays.binarySearch(bins, 0, size, bin);
        return i >= 0 ? weights[i] : 0.0;
    }

    /**
     * Mid-rank of {@code value} in [0, 1]: the weight below its bin plus half the weight in it,
     * over the total; 0.5 when empty.
     */
    public double midRank(double value) {
        if (size == 0) {
            return 0.5;
        }
        int bin = binOf(value);
        return Math.min(1.0, (weightBelow(bin) + 0.5 * weightIn(bin)) / total);
    }

    /**
     * Representative value ({@link #midpoint}) of the bin holding the {@code q}-quantile, q in [0,
     * 1]; NaN when empty.
     */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile level must lie in [0, 1]: " + q);
        }
        if (size == 0) {
            return Double.NaN;
        }
        double target = q * total;
        double cumulative = 0;
        for (int i = 0; i < size; i++) {
            cumulative += weights[i];
            if (cumulative >= target) {
                return midpoint(bins[i]);
            }
        }
        return midpoint(bins[size - 1]);
    }

    /**
     * Exponential fit to the logarithm of the values in the top {@code fraction} of the weight, or
     * null when that tail lies in bin 0 or holds no weight above it.
     *
     * <p>The tail starts at the lower edge {@code u} of the highest bin from which on the weight
     * reaches {@code fraction} of the total (at least one bin, never bin 0); the log-excess of each
     * bin is that of its geometric midpoint over {@code u}.
     *
     * @param fraction share of the weight to fit, in (0, 1]
     */
    public TailFit tail(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("tail fraction must lie in (0, 1]: " + fraction);
        }
        double target = fraction * total;
        double weight = 0;
        int i = size - 1;
        while (i >= 0 && bins[i] > 0) {
            weight += weights[i];
            if (weight >= target) {
                break;
            }
            i--;
        }
        if (i < 0 || bins[i] == 0) {
            i++;
        }
        if (i >= size || weight <= 0) {
            return null;
        }
        int start = bins[i];
        double logStart = logLowerEdge(start);
        double tailWeight = 0;
        double excess = 0;
        for (int j = i; j < size; j++) {
            tailWeight += weights[j];
            excess += weights[j] * (logMidpoint(bins[j]) - logStart);
        }
        return new TailFit(start, tailWeight, excess, total);
    }

    /** Writes the bins: count, then first bin and gaps (varints) each followed by its weight. */
    public void writeTo(StateWriter out) {
        out.writeVarLong(size);
        int previous = 0;
        for (int i = 0; i < size; i++) {
            out.writeVarLong(bins[i] - previous);
            out.writeFloat(weights[i]);
            previous = bins[i];
        }
    }

    /**
     * Reads what {@link #writeTo} wrote into a histogram of at most {@code maxBins} bins.
     *
     * @throws IllegalArgumentException when the bins are out of order or range, or a weight is not
     *     positive and finite
     */
    public static LogHistogram readFrom(StateReader in, int maxBins) {
        LogHistogram histogram = new LogHistogram(maxBins);
        int count = in.readCount(maxBins);
        histogram.ensureCapacity(count);
        long bin = 0;
        for (int i = 0; i < count; i++) {
            long gap = in.readVarLong();
            if (gap < 0 || (i > 0 && gap == 0) || gap > MAX_BIN) {
                throw new IllegalArgumentException("histogram bins out of order: gap " + gap);
            }
            bin += gap;
            float weight = in.readFloat();
            if (bin > MAX_BIN || !(weight > 0) || Float.isInfinite(weight)) {
                throw new IllegalArgumentException(
                        "invalid histogram bin " + bin + " with weight " + weight);
            }
            histogram.bins[i] = (int) bin;
            histogram.weights[i] = weight;
        }
        histogram.size = count;
        histogram.recomputeTotal();
        return histogram;
    }

    private void addToBin(int bin, float weight) {
        total += weight;
        int i = Arrays.binarySearch(bins, 0, size, bin);
        if (i >= 0) {
            weights[i] += weight;
            return;
        }
        int insertion = -i - 1;
        float collapsed = 0f;
        if (size == maxBins) {
            if (insertion == 0) {
                weights[0] += weight;
                return;
            }
            collapsed = weights[0];
            System.arraycopy(bins, 1, bins, 0, size - 1);
            System.arraycopy(weights, 1, weights, 0, size - 1);
            size--;
            insertion--;
        }
        ensureCapacity(size + 1);
        System.arraycopy(bins, insertion, bins, insertion + 1, size - insertion);
        System.arraycopy(weights, insertion, weights, insertion + 1, size - insertion);
        bins[insertion] = bin;
        weights[insertion] = weight;
        size++;
        weights[0] += collapsed;
    }

    private void ensureCapacity(int needed) {
        if (needed > bins.length) {
            int capacity = Math.min(maxBins, Math.max(needed, bins.length * 2));
            bins = Arrays.copyOf(bins, capacity);
            weights = Arrays.copyOf(weights, capacity);
        }
    }

    private void recomputeTotal() {
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += weights[i];
        }
        total = sum;
    }

    private static void requireValue(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("value must be finite and non-negative: " + value);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogHistogram other
                && maxBins == other.maxBins
                && size == other.size
                && Arrays.equals(bins, 0, size, other.bins, 0, size)
                && Arrays.equals(weights, 0, size, other.weights, 0, size);
    }

    @Override
    public int hashCode() {
        int hash = maxBins;
        for (int i = 0; i < size; i++) {
            hash = 31 * (31 * hash + bins[i]) + Float.hashCode(weights[i]);
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("LogHistogram[");
        for (int i = 0; i < size; i++) {
            text.append(i == 0 ? "" : ", ").append(bins[i]).append(':').append(weights[i]);
        }
        return text.append(']').toString();
    }
}
