package dev.tamperwatch.job.io;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes Kafka records inside the source, so that event-time watermarks are generated per
 * partition; records that fail become dead letters instead of failing the job.
 */
public final class DecodingDeserializer implements KafkaRecordDeserializationSchema<Decoded> {

    private final RecordDecoder decoder = new RecordDecoder();

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded> out) {
        out.collect(
                decoder.decode(
                        record.key(),
                        record.value(),
                        record.topic(),
                        record.partition(),
                        record.offset()));
    }

    @Override
    public TypeInformation<Decoded> getProducedType() {
        return TypeInformation.of(Decoded.class);
    }
}
