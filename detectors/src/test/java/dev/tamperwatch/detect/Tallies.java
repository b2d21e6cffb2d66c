package dev.tamperwatch.detect;

/** Counts of seeded simulations run in parallel, combined column by column. */
public final class Tallies {

    private Tallies() {}

    /** Column-wise sums of two tallies of the same width. */
    public static long[] sum(long[] a, long[] b) {
        long[] total = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            total[i] = a[i] + b[i];
        }
        return total;
    }

    /** Column-wise sums, but the larger of the last columns (a maximum, such as a state size). */
    public static long[] sumButMaxLast(long[] a, long[] b) {
        long[] total = sum(a, b);
        int last = a.length - 1;
        total[last] = Math.max(a[last], b[last]);
        return total;
    }
}
