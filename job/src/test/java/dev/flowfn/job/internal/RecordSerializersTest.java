package dev.flowfn.job.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.schemas.Topics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link OutputRecordSerializer} and {@link SourceRecordSerializer}, as Flink finds and uses them.
 */
class RecordSerializersTest {

    private static final SerializerConfigImpl CONFIG = new SerializerConfigImpl();

    @Test
    void flinkTakesEachTypeFromItsAnnotationNotFromPojoAnalysis() {
        assertThat(TypeInformation.of(OutputRecord.class).createSerializer(CONFIG))
                .isSameAs(OutputRecordSerializer.INSTANCE);
        assertThat(TypeInformation.of(SourceRecord.class).createSerializer(CONFIG))
                .isSameAs(SourceRecordSerializer.INSTANCE);
        assertThat(TypeInformation.of(SourceRecord.class))
                .isEqualTo(TypeInformation.of(SourceRecord.class))
                .isNotEqualTo(TypeInformation.of(OutputRecord.class));
    }

    @Test
    void outputRecordsComeBackAsTheyWent() throws IOException {
        List<OutputRecord> records =
                List.of(
                        new OutputRecord("flowfn.results", "inv-1".getBytes(UTF_8), new byte[] {1}),
                        new OutputRecord("flowfn.dlq", null, new byte[0]),
                        new OutputRecord("a.topic-with_üñî", new byte[0], null));
        List<OutputRecord> back = roundTrip(OutputRecordSerializer.INSTANCE, records);
        for (int i = 0; i < records.size(); i++) {
            assertThat(back.get(i)).usingRecursiveComparison().isEqualTo(records.get(i));
        }
    }

    @Test
    void theJobsOwnTopicsComeBackAsTheOneStringOfEach() throws IOException {
        String results = new String("flowfn.results".getBytes(UTF_8), UTF_8); // not the constant
        List<OutputRecord> back =
                roundTrip(
                        OutputRecordSerializer.INSTANCE,
                        List.of(
                                new OutputRecord(Topics.RESULTS, null, null),
                                new OutputRecord(results, null, null),
                                new OutputRecord(Topics.ALERTS, null, null),
                                new OutputRecord("flowfn.resultsx", null, null)));
        assertThat(back.get(0).topic).isSameAs(Topics.RESULTS);
        assertThat(back.get(1).topic).isSameAs(Topics.RESULTS);
        assertThat(back.get(2).topic).isSameAs(Topics.ALERTS);
        assertThat(back.get(3).topic).isEqualTo("flowfn.resultsx");
    }

    @Test
    void sourceRecordsComeBackAsTheyWent() throws IOException {
        List<SourceRecord> records =
                List.of(
                        new SourceRecord("uploads", 3, 1L << 40, 1_733_400_000_000L, null, null),
                        new SourceRecord(
                                "flowfn.events", 0, 0, -1, "k".getBytes(UTF_8), new byte[] {7}));
        List<SourceRecord> back = roundTrip(SourceRecordSerializer.INSTANCE, records);
        for (int i = 0; i < records.size(); i++) {
            assertThat(back.get(i)).usingRecursiveComparison().isEqualTo(records.get(i));
        }
    }

    @Test
    void sourceRecordTopicsComeBackAsTheOneStringOfEachName() throws IOException {
        List<SourceRecord> records = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 150; i++) { // more names than the table has slots
                records.add(new SourceRecord("orders-" + i, 0, round, 0, null, null));
            }
        }
        records.add(new SourceRecord("tópico\u0000ü", 0, 0, 0, null, null));
        records.add(new SourceRecord("tópico\u0000ü", 0, 1, 0, null, null));
        records.add(new SourceRecord("", 0, 0, 0, null, null));
        List<SourceRecord> back = roundTrip(SourceRecordSerializer.INSTANCE, records);
        for (int i = 0; i < records.size(); i++) {
            assertThat(back.get(i).topic).isEqualTo(records.get(i).topic);
        }
        for (int i = 0; i < 150; i++) {
            assertThat(back.get(150 + i).topic).as("orders-" + i).isSameAs(back.get(i).topic);
        }
        int last = records.size() - 1;
        assertThat(back.get(last - 1).topic).isSameAs(back.get(last - 2).topic);
        String again =
                roundTrip(SourceRecordSerializer.INSTANCE, List.of(records.get(0))).get(0).topic;
        assertThat(roundTrip(SourceRecordSerializer.INSTANCE, List.of(records.get(0))).get(0).topic)
                .isSameAs(again);
    }

    @Test
    void copyingSerializedBytesGivesTheSameBytes() throws IOException {
        assertCopiesBytes(
                OutputRecordSerializer.INSTANCE,
                new OutputRecord("t", new byte[] {9}, new byte[] {7, 7}));
        assertCopiesBytes(
                SourceRecordSerializer.INSTANCE,
                new SourceRecord("t", 1, 2, 3, new byte[] {9}, new byte[] {7, 7}));
    }

    @Test
    void aSnapshotRestoresTheSameSerializer() {
        for (TypeSerializer<?> s :
                List.of(OutputRecordSerializer.INSTANCE, SourceRecordSerializer.INSTANCE)) {
            assertThat(s.snapshotConfiguration().restoreSerializer()).isSameAs(s);
        }
    }

    /** Writes every record into one stream and reads them back, to its last byte. */
    private static <T> List<T> roundTrip(TypeSerializer<T> serializer, List<T> records)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        for (T r : records) {
            serializer.serialize(r, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        List<T> back = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            back.add(serializer.deserialize(in));
        }
        assertThat(in.available()).as("bytes left").isZero();
        return back;
    }

    private static <T> void assertCopiesBytes(TypeSerializer<T> serializer, T record)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        serializer.serialize(record, out);
        DataOutputSerializer copied = new DataOutputSerializer(16);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    }
}
