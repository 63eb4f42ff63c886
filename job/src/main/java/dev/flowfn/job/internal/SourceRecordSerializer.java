package dev.flowfn.job.internal;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link SourceRecord} on the wire, from a source to the function group over the job's keyBy: the
 * topic, partition, offset and timestamp, then the key and the value as a length and their bytes.
 * The topic comes back as the one string of its name ({@link TopicNames}). Stateless, so one
 * instance serves every thread.
 */
public final class SourceRecordSerializer extends RecordSerializer<SourceRecord> {

    static final SourceRecordSerializer INSTANCE = new SourceRecordSerializer();

    @Override
    public SourceRecord createInstance() {
        return new SourceRecord();
    }

    @Override
    public SourceRecord copy(SourceRecord from) {
        return new SourceRecord( // byte arrays never change
                from.topic, from.partition, from.offset, from.timestamp, from.key, from.value);
    }

    @Override
    public void serialize(SourceRecord record, DataOutputView target) throws IOException {
        target.writeUTF(record.topic);
        target.writeInt(record.partition);
        target.writeLong(record.offset);
        target.writeLong(record.timestamp);
        RecordType.writeBytes(record.key, target);
        RecordType.writeBytes(record.value, target);
    }

    @Override
    public SourceRecord deserialize(DataInputView source) throws IOException {
        return new SourceRecord(
                TopicNames.SHARED.read(source),
                source.readInt(),
                source.readLong(),
                source.readLong(),
                RecordType.readBytes(source),
                RecordType.readBytes(source));
    }

    @Override
    public TypeSerializerSnapshot<SourceRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Read back from a checkpoint or savepoint: the format has no parameters. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SourceRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Named by {@link SourceRecord}'s {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<SourceRecord> {
        @Override
        public TypeInformation<SourceRecord> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> parameters) {
            return new RecordType<>(SourceRecord.class, INSTANCE);
        }
    }
}
