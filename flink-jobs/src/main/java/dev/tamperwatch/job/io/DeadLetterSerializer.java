package dev.tamperwatch.job.io;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tamperwatch.schema.DeadLetterHeaders;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Writes a dead letter as its original key and bytes with the reason and origin as headers. */
public final class DeadLetterSerializer
        implements KafkaRecordSerializationSchema<DeadLetterRecord> {

    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetterRecord letter, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.ERROR_CLASS, bytes(letter.errorClass));
        headers.add(DeadLetterHeaders.ERROR_MESSAGE, bytes(letter.errorMessage));
        headers.add(DeadLetterHeaders.SOURCE_TOPIC, bytes(letter.sourceTopic));
        headers.add(DeadLetterHeaders.SOURCE_PARTITION, bytes(letter.sourcePartition));
        headers.add(DeadLetterHeaders.SOURCE_OFFSET, bytes(letter.sourceOffset));
        return new ProducerRecord<>(topic, null, null, letter.key, letter.value, headers);
    }

    private static byte[] bytes(Object value) {
        return String.valueOf(value).getBytes(UTF_8);
    }
}
