package dev.tamperwatch.deploy.demo;

import dev.tamperwatch.deploy.kafka.EmbeddedKafka;
import dev.tamperwatch.deploy.kafka.TamperwatchTopics;
import dev.tamperwatch.job.DetectJob;
import dev.tamperwatch.job.DurationConverter;
import dev.tamperwatch.job.PipelineConfig;
import dev.tamperwatch.job.io.KafkaSettings;
import dev.tamperwatch.job.io.KafkaSettings.StartingOffsets;
import dev.tamperwatch.load.ScenarioPlan;
import dev.tamperwatch.schema.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one-command demo: a real KRaft broker, the detect job on a local MiniCluster, seeded traffic
 * with the attacks of {@link DemoTraffic}; prints alerts as they arrive and a summary of attacks
 * injected versus detected. Stops everything it started before returning.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run broker, detect job and demo traffic with two attacks; print the alerts.")
public final class DemoCommand implements Callable<Integer> {

    private static final String GROUP_ID = "tamperwatch-detect";
    private static final Duration DRAIN = Duration.ofSeconds(8);

    /**
     * How long past the traffic the demo waits for a slow machine's job to process every event: the
     * verdicts depend on event time only, so a late job still reaches them.
     */
    private static final Duration CATCH_UP = Duration.ofSeconds(120);

    @Option(
            names = "--duration",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Total run time, start-up included (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Traffic seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--alerts-out",
            description = "Also write the OCSF alerts as JSON Lines to this file.")
    Path alertsOut;

    @Option(
            names = "--identities",
            defaultValue = "200",
            description = "Human identities (default: ${DEFAULT-VALUE}).")
    int identities;

    @Option(
            names = "--agents",
            defaultValue = "20",
            description = "Agents (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(
            names = "--speedup",
            defaultValue = "300",
            description =
                    "Least factor by which event time runs faster than the wall clock after the history (default: ${DEFAULT-VALUE}).")
    double speedup;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        long stopAt = started + duration.minus(DRAIN).toNanos();
        ScenarioPlan plan = DemoTraffic.plan(seed, identities, agents, Instant.now());
        out.printf(
                "tamperwatch demo: %d identities, %d agents, seed %d, %s%n",
                identities, agents, seed, duration);
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                Admin admin = kafka.newAdmin()) {
            TamperwatchTopics.create(admin, (short) 1);
            out.printf(
                    "broker: Kafka (KRaft) ready at %s in %.1f s%n",
                    kafka.bootstrapServers(), seconds(started));
            JobClient job = startJob(kafka.bootstrapServers());
            out.printf(
                    "job: %s running on a local MiniCluster (%.1f s)%n",
                    DetectJob.NAME, seconds(started));
            try (AlertTail alerts = new AlertTail(kafka.bootstrapServers(), out, alertsOut);
                    PacedPublisher publisher = new PacedPublisher(kafka.bootstrapServers(), out)) {
                ConsumerLag lag = new ConsumerLag(admin, GROUP_ID);
                Instant last =
                        publisher.run(
                                plan.events(),
                                plan.historyEnd(),
                                liveUntil(plan),
                                speedup,
                                stopAt,
                                (events, since) -> reportCaughtUp(lag, events, since, stopAt));
                if (!awaitCaughtUp(lag, System.nanoTime() + CATCH_UP.toNanos())) {
                    out.printf(
                            "job: still %,d events behind after %d s more; the summary covers what"
                                    + " it has processed%n",
                            lag.events(), CATCH_UP.toSeconds());
                }
                out.printf(
                        "traffic: %,d events in all, the last at %s (event time); %,d on %s"
                                + " (malformed, or too late to score)%n",
                        publisher.published(),
                        last,
                        lag.records(Topics.DEAD_LETTER),
                        Topics.DEAD_LETTER);
                alerts.awaitQuiet(Duration.ofSeconds(2), Duration.ofSeconds(4));
                new DemoSummary(plan, alerts.alerts(), last).print(out);
            } finally {
                job.cancel().get();
            }
        }
        out.printf("demo finished in %.1f s; broker and job stopped%n", seconds(started));
        return 0;
    }

    /**
     * Where the live traffic stops: once every attack is over and the window holding its end has
     * closed, plus the allowed lateness, so that every attack can be scored.
     */
    private static Instant liveUntil(ScenarioPlan plan) {
        PipelineConfig config = PipelineConfig.defaults();
        long window = config.window().toMillis();
        long lastWindowEnd = (plan.attacksEnd().toEpochMilli() / window + 1) * window;
        return Instant.ofEpochMilli(lastWindowEnd)
                .plus(config.maxOutOfOrderness())
                .plus(Duration.ofMinutes(5));
    }

    private JobClient startJob(String bootstrapServers) throws Exception {
        Configuration conf = new Configuration();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        KafkaSettings kafka =
                new KafkaSettings(
                        bootstrapServers,
                        GROUP_ID,
                        StartingOffsets.EARLIEST,
                        DeliveryGuarantee.AT_LEAST_ONCE,
                        Map.of());
        PipelineConfig config = PipelineConfig.defaults();
        DetectJob.attach(env, kafka, config, Duration.ofSeconds(2));
        return env.executeAsync(DetectJob.NAME);
    }

    private void reportCaughtUp(ConsumerLag lag, long events, long sinceNanos, long stopAt)
            throws Exception {
        if (awaitCaughtUp(lag, stopAt)) {
            out.printf(
                    "job: caught up with the history, %,.0f events/s end to end — baselines are"
                            + " warm%n",
                    events / seconds(sinceNanos));
        } else {
            out.printf("job: still %,d events behind; going live anyway%n", lag.events());
        }
    }

    /** Waits until the job has committed every published event; false if the deadline passed. */
    private static boolean awaitCaughtUp(ConsumerLag lag, long deadlineNanos) throws Exception {
        while (lag.events() > 0) {
            if (System.nanoTime() > deadlineNanos) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
