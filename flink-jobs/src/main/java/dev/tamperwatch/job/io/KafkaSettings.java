package dev.tamperwatch.job.io;

import dev.tamperwatch.job.alert.AlertRecord;
import dev.tamperwatch.job.alert.AlertSerializer;
import dev.tamperwatch.schema.Topics;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Where the detect job reads and writes on Kafka, and how.
 *
 * @param bootstrapServers comma-separated host:port list
 * @param groupId consumer group of the events source
 * @param startingOffsets where to start when the group has no committed offsets
 * @param delivery at-least-once (alerts visible at once, duplicates possible and deduplicated by
 *     finding uid) or exactly-once (transactional; alerts visible to read_committed consumers after
 *     each checkpoint)
 * @param properties extra Kafka client properties for the source and both sinks, e.g. security
 */
public record KafkaSettings(
        String bootstrapServers,
        String groupId,
        StartingOffsets startingOffsets,
        DeliveryGuarantee delivery,
        Map<String, String> properties) {

    /** Where a consumer group without committed offsets starts. */
    public enum StartingOffsets {
        EARLIEST,
        LATEST
    }

    public KafkaSettings {
        properties = Map.copyOf(properties);
    }

    /** Reads and decodes {@link Topics#EVENTS}, resuming from the group's committed offsets. */
    public KafkaSource<Decoded> eventsSource() {
        OffsetResetStrategy reset =
                startingOffsets == StartingOffsets.EARLIEST
                        ? OffsetResetStrategy.EARLIEST
                        : OffsetResetStrategy.LATEST;
        return KafkaSource.<Decoded>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(Topics.EVENTS)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(reset))
                .setDeserializer(new DecodingDeserializer())
                .setProperties(clientProperties())
                .build();
    }

    /** Writes alerts to {@link Topics#ALERTS}. */
    public KafkaSink<AlertRecord> alertSink() {
        return KafkaSink.<AlertRecord>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(new AlertSerializer(Topics.ALERTS))
                .setDeliveryGuarantee(delivery)
                .setTransactionalIdPrefix(groupId + "-alerts")
                .setKafkaProducerConfig(clientProperties())
                .build();
    }

    /** Writes dead letters to {@link Topics#DEAD_LETTER}. */
    public KafkaSink<DeadLetterRecord> deadLetterSink() {
        return KafkaSink.<DeadLetterRecord>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(new DeadLetterSerializer(Topics.DEAD_LETTER))
                .setDeliveryGuarantee(delivery)
                .setTransactionalIdPrefix(groupId + "-dead-letters")
                .setKafkaProducerConfig(clientProperties())
                .build();
    }

    private Properties clientProperties() {
        Properties props = new Properties();
        props.putAll(properties);
        return props;
    }
}
