package dev.tamperwatch.deploy.demo;

import dev.tamperwatch.schema.Topics;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group's committed offsets trail the end of the events topic, and how many
 * records a topic holds.
 */
final class ConsumerLag {

    private final Admin admin;
    private final String groupId;

    ConsumerLag(Admin admin, String groupId) {
        this.admin = admin;
        this.groupId = groupId;
    }

    /**
     * Records on the events topic not yet committed by the group; all of them if none committed.
     */
    long events() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        long lag = 0;
        for (var end : endOffsets(Topics.EVENTS).entrySet()) {
            OffsetAndMetadata done = committed == null ? null : committed.get(end.getKey());
            lag += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    /**
     * Records written to {@code topic} so far: the sum of its partitions' end offsets, exact for a
     * topic written without transactions, as the demo's job writes.
     */
    long records(String topic) throws ExecutionException, InterruptedException {
        long records = 0;
        for (ListOffsetsResultInfo end : endOffsets(topic).values()) {
            records += end.offset();
        }
        return records;
    }

    private Map<TopicPartition, ListOffsetsResultInfo> endOffsets(String topic)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> partitions =
                admin
                        .describeTopics(java.util.List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic)
                        .partitions()
                        .stream()
                        .collect(
                                Collectors.toMap(
                                        p -> new TopicPartition(topic, p.partition()),
                                        p -> OffsetSpec.latest()));
        return admin.listOffsets(partitions).all().get();
    }
}
