package dev.flowfn.job.internal;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One record for the exactly-once sink: topic, key and value bytes ({@link
 * OutputRecordSerializer}).
 */
@TypeInfo(OutputRecordSerializer.Factory.class)
public final class OutputRecord {
    public String topic;
    public byte[] key;
    public byte[] value;

    public OutputRecord() {}

    public OutputRecord(String topic, byte[] key, byte[] value) {
        this.topic = topic;
        this.key = key;
        this.value = value;
    }

    @Override
    public String toString() {
        return "OutputRecord{" + topic + ", " + (value == null ? 0 : value.length) + " bytes}";
    }
}
