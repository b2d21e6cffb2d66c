package dev.tamperwatch.detect.embedding;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Rough throughput of {@link EmbeddingDriftDetector#onEvent} (update and score) on one thread, in
 * events per second of that thread's CPU time, for warmed-up keys of a 384-dimension model with
 * UUID event ids. Not a test; run with {@code java -cp <test and main classes, commons-math3>
 * dev.tamperwatch.detect.embedding.EmbeddingDriftThroughput [dimension] [keys...]}.
 */
public final class EmbeddingDriftThroughput {

    private static final long HOUR = 3_600_000L;

    private EmbeddingDriftThroughput() {}

    public static void main(String[] args) {
        int dimension = args.length > 0 ? Integer.parseInt(args[0]) : 384;
        int[] keyCounts = {1, 1000};
        if (args.length > 1) {
            keyCounts = new int[args.length - 1];
            for (int i = 1; i < args.length; i++) {
                keyCounts[i - 1] = Integer.parseInt(args[i]);
            }
        }
        EmbeddingDriftDetector detector =
                new EmbeddingDriftDetector(EmbeddingDriftConfig.defaults());
        SplittableRandom random = new SplittableRandom(1);
        SyntheticTopics topic = SyntheticTopics.threeSubtopics(random, dimension);
        EmbeddingObservation[] pool = new EmbeddingObservation[4096];
        for (int i = 0; i < pool.length; i++) {
            pool[i] =
                    new EmbeddingObservation(
                            topic.sample(random), "all-MiniLM-L6-v2", UUID.randomUUID().toString());
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int keys : keyCounts) {
            EmbeddingState[] states = new EmbeddingState[keys];
            for (int k = 0; k < keys; k++) {
                states[k] = detector.newState();
            }
            long event = 0;
            for (int round = 0; round < 6; round++) {
                int n = 2_000_000;
                long cpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                for (int e = 0; e < n; e++, event++) {
                    long time = event / keys * (HOUR / 100);
                    detector.onEvent(
                            states[(int) (event % keys)], pool[(int) (event & 4095)], time);
                }
                double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
                double wallSeconds = (System.nanoTime() - wall) / 1e9;
                System.out.printf(
                        "%d dims, %d keys, round %d: %.0f events/s of CPU time (%.0f wall)%n",
                        dimension, keys, round, n / cpuSeconds, n / wallSeconds);
            }
        }
    }
}
