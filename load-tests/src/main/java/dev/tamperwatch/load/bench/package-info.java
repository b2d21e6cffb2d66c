/**
 * Benchmarks: JMH microbenchmarks of every detector family against plain reference implementations,
 * with and without the per-event state codec ({@link
 * dev.tamperwatch.load.bench.DetectorBenchmark}); encoded state sizes per family ({@link
 * dev.tamperwatch.load.bench.StateSizes}); and the end-to-end load harness running the detect
 * pipeline on a Flink MiniCluster side by side with the same graph without detectors ({@link
 * dev.tamperwatch.load.bench.PipelineThroughput}). Commands and measured figures are in {@code
 * BENCHMARKS.md}.
 */
package dev.tamperwatch.load.bench;
