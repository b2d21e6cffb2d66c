package dev.tamperwatch.job.io;

/**
 * One record as read from a source, before decoding: the original bytes and where they came from, so
 * that a record that cannot be decoded reaches the dead-letter topic unchanged. A Flink POJO.
 */
public class RawRecord {
    public byte[] key;
    public byte[] value;
    public String topic;
    public int partition;
    public long offset;

    public RawRecord() {}

    public RawRecord(byte[] key, byte[] value, String topic, int partition, long offset) {
        this.key = key;
        this.value = value;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }
}
