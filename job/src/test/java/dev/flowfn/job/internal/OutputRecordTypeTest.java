package dev.flowfn.job.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class OutputRecordTypeTest {

    private final TypeSerializer<OutputRecord> serializer =
            TypeInformation.of(OutputRecord.class).createSerializer(new SerializerConfigImpl());

    @Test
    void flinkTakesTheTypeFromTheAnnotationNotThePojoAnalysis() {
        assertThat(TypeInformation.of(OutputRecord.class)).isInstanceOf(OutputRecordType.class);
        assertThat(serializer).isSameAs(OutputRecordType.Serializer.INSTANCE);
    }

    @Test
    void recordsComeBackAsTheyWentOneAfterAnotherInOneStream() throws IOException {
        OutputRecord[] records = {
            new OutputRecord("flowfn.results", "inv-1".getBytes(UTF_8), new byte[] {1, 2, 3}),
            new OutputRecord("flowfn.dlq", null, new byte[0]),
            new OutputRecord("a.topic-with_üñî", new byte[0], null),
        };
        DataOutputSerializer out = new DataOutputSerializer(16);
        for (OutputRecord r : records) {
            serializer.serialize(r, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (OutputRecord r : records) {
            OutputRecord back = serializer.deserialize(in);
            assertThat(back.topic).isEqualTo(r.topic);
            assertThat(back.key).isEqualTo(r.key);
            assertThat(back.value).isEqualTo(r.value);
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void copyingSerializedBytesGivesTheSameBytes() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        serializer.serialize(new OutputRecord("t", new byte[] {9}, new byte[] {7, 7}), out);
        DataOutputSerializer copied = new DataOutputSerializer(16);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    }

    @Test
    void aSnapshotRestoresTheSameSerializer() {
        assertThat(serializer.snapshotConfiguration().restoreSerializer()).isSameAs(serializer);
    }
}
