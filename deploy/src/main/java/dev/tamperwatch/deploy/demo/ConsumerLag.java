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

/** How far a consumer group's committed offsets trail the end of the events topic. */
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
        Map<TopicPartition, OffsetSpec> partitions =
                admin
                        .describeTopics(java.util.List.of(Topics.EVENTS))
                        .allTopicNames()
                        .get()
                        .get(Topics.EVENTS)
                        .partitions()
                        .stream()
                        .collect(
                                Collectors.toMap(
                                        p -> new TopicPartition(Topics.EVENTS, p.partition()),
                                        p -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(partitions).all().get();
        long lag = 0;
        for (var end : ends.entrySet()) {
            OffsetAndMetadata done = committed == null ? null : committed.get(end.getKey());
            lag += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }
}
