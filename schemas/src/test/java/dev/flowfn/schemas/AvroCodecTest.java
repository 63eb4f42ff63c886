package dev.flowfn.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class AvroCodecTest {

    static Event sampleEvent() {
        return Event.newBuilder()
                .setId("e-1")
                .setSource("kafka://words/0")
                .setType("kafka.record")
                .setSubject("k")
                .setTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setDatacontenttype("application/json")
                .setData(ByteBuffer.wrap("\"hello\"".getBytes(StandardCharsets.UTF_8)))
                .setExtensions(Map.of("flowfntarget", "upper"))
                .build();
    }

    @Test
    void roundTripsWithSingleObjectHeader() {
        AvroCodec<Event> codec = AvroCodec.of(Event.class);
        byte[] bytes = codec.encode(sampleEvent());

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(codec.decode(bytes)).isEqualTo(sampleEvent());
    }

    @Test
    void garbageIsUndecodableWithAReason() {
        AvroCodec<Event> codec = AvroCodec.of(Event.class);
        assertThatThrownBy(() -> codec.decode("hello".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("not an Avro single-object-encoded Event");
        assertThatThrownBy(() -> codec.decode(null))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("no value");
    }

    @Test
    void unknownFingerprintNamesTheSchemaTopic() {
        Schema other = SchemaBuilder.record("Other").fields().requiredString("x").endRecord();
        GenericRecord r = new GenericData.Record(other);
        r.put("x", "y");
        byte[] bytes = encode(other, r);
        assertThatThrownBy(() -> AvroCodec.of(Event.class).decode(bytes))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining(Topics.SCHEMAS);
    }

    @Test
    void decodesAnOlderWriterSchemaResolvedThroughTheCatalog() {
        // v0 of Event: no extensions, no datacontenttype; the reader fills the defaults.
        Schema v0 =
                SchemaBuilder.record("Event")
                        .namespace("dev.flowfn.schemas")
                        .fields()
                        .requiredString("id")
                        .requiredString("source")
                        .requiredString("specversion")
                        .requiredString("type")
                        .optionalString("subject")
                        .name("time")
                        .type(SchemaBuilder.builder().longType())
                        .noDefault()
                        .requiredBytes("data")
                        .endRecord();
        GenericRecord old = new GenericData.Record(v0);
        old.put("id", "old-1");
        old.put("source", "s");
        old.put("specversion", "1.0");
        old.put("type", "t");
        old.put("time", 5L);
        old.put("data", ByteBuffer.wrap(new byte[] {7}));
        byte[] bytes = encode(v0, old);

        SchemaCatalog catalog =
                new SchemaCatalog(fp -> fp == SchemaCatalog.fingerprint(v0) ? v0 : null);
        Event decoded = AvroCodec.of(Event.class, catalog).decode(bytes);

        assertThat(decoded.getId()).isEqualTo("old-1");
        assertThat(decoded.getExtensions()).isEmpty();
        assertThat(decoded.getDatacontenttype()).isNull();
    }

    private static byte[] encode(Schema schema, GenericRecord record) {
        try {
            ByteBuffer b =
                    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema)
                            .encode(record);
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
