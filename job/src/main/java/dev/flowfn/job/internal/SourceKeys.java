package dev.flowfn.job.internal;

import org.apache.flink.api.java.functions.KeySelector;

/**
 * The key the job shuffles records by, its only shuffle: the record's Kafka key (the subject:
 * object key, device id, request id), or its position for a record without one.
 */
public final class SourceKeys implements KeySelector<SourceRecord, String> {

    @Override
    public String getKey(SourceRecord record) {
        return record.key != null
                ? record.keyText()
                : record.topic + '/' + record.partition + '@' + record.offset;
    }
}
