package dev.tamperwatch.deploy.kafka;

import dev.tamperwatch.schema.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics Tamperwatch reads and writes: {@link Topics#EVENTS}, {@link Topics#ALERTS}, {@link
 * Topics#DEAD_LETTER} and the compacted {@link Topics#CONTROL}. Works on any cluster.
 */
public final class TamperwatchTopics {

    public static final int DEFAULT_EVENTS_PARTITIONS = 4;
    public static final int ALERTS_PARTITIONS = 2;
    public static final int DEAD_LETTER_PARTITIONS = 1;
    public static final int CONTROL_PARTITIONS = 1;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TamperwatchTopics() {}

    /** Definitions of the four topics with {@value #DEFAULT_EVENTS_PARTITIONS} event partitions. */
    public static List<NewTopic> definitions(short replicationFactor) {
        return definitions(replicationFactor, DEFAULT_EVENTS_PARTITIONS);
    }

    /** Definitions of the four topics. */
    public static List<NewTopic> definitions(short replicationFactor, int eventsPartitions) {
        return List.of(
                new NewTopic(Topics.EVENTS, eventsPartitions, replicationFactor),
                new NewTopic(Topics.ALERTS, ALERTS_PARTITIONS, replicationFactor),
                new NewTopic(Topics.DEAD_LETTER, DEAD_LETTER_PARTITIONS, replicationFactor),
                new NewTopic(Topics.CONTROL, CONTROL_PARTITIONS, replicationFactor)
                        .configs(
                                Map.of(
                                        TopicConfig.CLEANUP_POLICY_CONFIG,
                                        TopicConfig.CLEANUP_POLICY_COMPACT)));
    }

    /**
     * Creates the topics that do not exist yet, with {@value #DEFAULT_EVENTS_PARTITIONS} event
     * partitions. Existing topics are left as they are.
     *
     * @return names of the topics created by this call
     * @throws IllegalStateException if a topic cannot be created within 60 s
     */
    public static Set<String> create(Admin admin, short replicationFactor) {
        return create(admin, replicationFactor, DEFAULT_EVENTS_PARTITIONS);
    }

    /**
     * Creates the topics that do not exist yet. Existing topics are left as they are.
     *
     * @return names of the topics created by this call
     * @throws IllegalStateException if a topic cannot be created within 60 s
     */
    public static Set<String> create(Admin admin, short replicationFactor, int eventsPartitions) {
        CreateTopicsOptions options = new CreateTopicsOptions().timeoutMs((int) TIMEOUT.toMillis());
        Map<String, KafkaFuture<Void>> results =
                admin.createTopics(definitions(replicationFactor, eventsPartitions), options)
                        .values();
        Set<String> created = new TreeSet<>();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            if (awaitCreated(result.getKey(), result.getValue())) {
                created.add(result.getKey());
            }
        }
        return created;
    }

    /** Returns true if created, false if it already existed. */
    private static boolean awaitCreated(String topic, KafkaFuture<Void> future) {
        try {
            future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new IllegalStateException("Cannot create topic " + topic, e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic, e);
        }
    }
}
