package dev.tamperwatch.job.io;

/**
 * A record that could not be decoded or validated: its original bytes, the reason and its origin. A
 * Flink POJO; written to the dead-letter topic with one header per field.
 */
public class DeadLetterRecord {
    public byte[] key;
    public byte[] value;
    public String errorClass;
    public String errorMessage;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;

    public DeadLetterRecord() {}

    public DeadLetterRecord(
            byte[] key,
            byte[] value,
            String errorClass,
            String errorMessage,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset) {
        this.key = key;
        this.value = value;
        this.errorClass = errorClass;
        this.errorMessage = errorMessage;
        this.sourceTopic = sourceTopic;
        this.sourcePartition = sourcePartition;
        this.sourceOffset = sourceOffset;
    }
}
