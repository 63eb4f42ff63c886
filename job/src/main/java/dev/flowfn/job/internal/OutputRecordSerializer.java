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
 * {@link OutputRecord} on the wire, from the function group to the sink's task: the topic, then the
 * key and the value as a length and their bytes. Stateless, so one instance serves every thread.
 */
public final class OutputRecordSerializer extends RecordSerializer<OutputRecord> {

    static final OutputRecordSerializer INSTANCE = new OutputRecordSerializer();

    @Override
    public OutputRecord createInstance() {
        return new OutputRecord();
    }

    @Override
    public OutputRecord copy(OutputRecord from) {
        return new OutputRecord(from.topic, from.key, from.value); // byte arrays never change
    }

    @Override
    public void serialize(OutputRecord record, DataOutputView target) throws IOException {
        target.writeUTF(record.topic);
        RecordType.writeBytes(record.key, target);
        RecordType.writeBytes(record.value, target);
    }

    @Override
    public OutputRecord deserialize(DataInputView source) throws IOException {
        return new OutputRecord(
                source.readUTF(), RecordType.readBytes(source), RecordType.readBytes(source));
    }

    @Override
    public TypeSerializerSnapshot<OutputRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Read back from a checkpoint or savepoint: the format has no parameters. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<OutputRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Named by {@link OutputRecord}'s {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<OutputRecord> {
        @Override
        public TypeInformation<OutputRecord> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> parameters) {
            return new RecordType<>(OutputRecord.class, INSTANCE);
        }
    }
}
