package dev.tamperwatch.job.alert;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes an alert keyed by its finding uid, with the detection time as record timestamp. */
public final class AlertSerializer implements KafkaRecordSerializationSchema<AlertRecord> {

    private final String topic;

    public AlertSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            AlertRecord alert, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic, null, alert.time, alert.uid.getBytes(UTF_8), alert.json.getBytes(UTF_8));
    }
}
