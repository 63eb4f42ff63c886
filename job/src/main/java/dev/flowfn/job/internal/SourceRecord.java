package dev.flowfn.job.internal;

import dev.flowfn.schemas.RawRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A Kafka record as read from a trigger topic, before it is decoded ({@link
 * SourceRecordSerializer}).
 */
@TypeInfo(SourceRecordSerializer.Factory.class)
public final class SourceRecord {
    public String topic;
    public int partition;
    public long offset;
    public long timestamp;
    public byte[] key;
    public byte[] value;

    /** {@link #key} as text, once decoded; not serialized. */
    private transient String keyText;

    public SourceRecord() {}

    public SourceRecord(
            String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
    }

    /**
     * The key decoded as UTF-8 (null without one), decoded once: the shuffle's key selector and the
     * event's subject both need it (records are never changed once made).
     */
    public String keyText() {
        String text = keyText;
        if (text == null && key != null) {
            text = new String(key, StandardCharsets.UTF_8);
            keyText = text;
        }
        return text;
    }

    /** The record as it goes on a dead letter. */
    public RawRecord toRaw() {
        return RawRecord.newBuilder()
                .setTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setTimestamp(timestamp)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .build();
    }

    @Override
    public String toString() {
        return topic + "/" + partition + "@" + offset;
    }
}
