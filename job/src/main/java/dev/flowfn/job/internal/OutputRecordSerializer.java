package dev.flowfn.job.internal;

import dev.flowfn.schemas.Topics;
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
 *
 * <p>One of the job's own topics goes as its index in {@link #OWN_TOPICS}, any other as text. The
 * sink's task then gets the one string of each own topic, whose hash is long computed, where a
 * topic read as text is a new string per record that the Kafka producer hashes again in its maps
 * (bench scenario 1: a few percent of the sink's time).
 */
public final class OutputRecordSerializer extends RecordSerializer<OutputRecord> {

    static final OutputRecordSerializer INSTANCE = new OutputRecordSerializer();

    /** Never reordered, only appended to: the index is what goes on the wire. */
    private static final String[] OWN_TOPICS = {
        Topics.RESULTS,
        Topics.DLQ,
        Topics.LOGS,
        Topics.PROGRESS,
        Topics.INVOCATIONS,
        Topics.METERING,
        Topics.ALERTS,
        Topics.EVENTS
    };

    private static final int AS_TEXT = -1;

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
        int own = ownTopic(record.topic);
        target.writeByte(own);
        if (own == AS_TEXT) {
            target.writeUTF(record.topic);
        }
        RecordType.writeBytes(record.key, target);
        RecordType.writeBytes(record.value, target);
    }

    @Override
    public OutputRecord deserialize(DataInputView source) throws IOException {
        int own = source.readByte();
        String topic = own == AS_TEXT ? source.readUTF() : OWN_TOPICS[own];
        return new OutputRecord(topic, RecordType.readBytes(source), RecordType.readBytes(source));
    }

    private static int ownTopic(String topic) {
        for (int i = 0; i < OWN_TOPICS.length; i++) {
            if (OWN_TOPICS[i].equals(topic)) { // the job's encoders pass the constants: same string
                return i;
            }
        }
        return AS_TEXT;
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
