package dev.flowfn.job.internal;

import java.io.IOException;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's type for {@link OutputRecord}: the topic, then the key and the value as a length and
 * their bytes (length -1 for none). Every output crosses the network once, from the function group
 * to the sink's task; this writes no field flags and no class tags, where Flink's POJO serializer
 * writes both for each record.
 */
public final class OutputRecordType extends TypeInformation<OutputRecord> {

    /** Picked up by {@code TypeInformation.of(OutputRecord.class)} through {@link OutputRecord}. */
    public static final class Factory extends TypeInfoFactory<OutputRecord> {
        @Override
        public TypeInformation<OutputRecord> createTypeInfo(
                java.lang.reflect.Type type, Map<String, TypeInformation<?>> parameters) {
            return new OutputRecordType();
        }
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<OutputRecord> getTypeClass() {
        return OutputRecord.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<OutputRecord> createSerializer(SerializerConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "OutputRecord";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputRecordType;
    }

    @Override
    public int hashCode() {
        return OutputRecordType.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof OutputRecordType;
    }

    /** Stateless, so one instance serves every thread. */
    public static final class Serializer extends TypeSerializerSingleton<OutputRecord> {

        static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public OutputRecord createInstance() {
            return new OutputRecord();
        }

        @Override
        public OutputRecord copy(OutputRecord from) {
            return new OutputRecord(from.topic, from.key, from.value); // byte arrays never change
        }

        @Override
        public OutputRecord copy(OutputRecord from, OutputRecord reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(OutputRecord record, DataOutputView target) throws IOException {
            target.writeUTF(record.topic);
            writeBytes(record.key, target);
            writeBytes(record.value, target);
        }

        @Override
        public OutputRecord deserialize(DataInputView source) throws IOException {
            return new OutputRecord(source.readUTF(), readBytes(source), readBytes(source));
        }

        @Override
        public OutputRecord deserialize(OutputRecord reuse, DataInputView source)
                throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            serialize(deserialize(source), target);
        }

        @Override
        public TypeSerializerSnapshot<OutputRecord> snapshotConfiguration() {
            return new Snapshot();
        }

        private static void writeBytes(byte[] bytes, DataOutputView target) throws IOException {
            if (bytes == null) {
                target.writeInt(-1);
            } else {
                target.writeInt(bytes.length);
                target.write(bytes);
            }
        }

        private static byte[] readBytes(DataInputView source) throws IOException {
            int length = source.readInt();
            if (length < 0) {
                return null;
            }
            byte[] bytes = new byte[length];
            source.readFully(bytes);
            return bytes;
        }
    }

    /** Read back from a checkpoint or savepoint: the format has no parameters. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<OutputRecord> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
