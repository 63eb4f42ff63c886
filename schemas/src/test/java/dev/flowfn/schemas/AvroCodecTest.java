package dev.flowfn.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
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
    void theGeneratedWritersWriteTheBytesOfAvrosGenericWriter() throws Exception {
        InvocationResult full =
                InvocationResult.newBuilder()
                        .setInvocationId("e-1/upper")
                        .setFunction("upper")
                        .setVersion(3)
                        .setEventId("e-1")
                        .setSuccess(false)
                        .setData(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                        .setContentType("text/plain")
                        .setFailureKind(FailureKind.TIMEOUT)
                        .setError("ran past its timeout é")
                        .setAttempts(2)
                        .setStartMicros(1_700_000_000_000_123L)
                        .setDurationMicros(-1)
                        .setEmitted(7)
                        .setStatus(504)
                        .setHeaders(Map.of("x-a", "1", "x-b", "2"))
                        .build();
        InvocationResult sparse =
                InvocationResult.newBuilder(full)
                        .setContentType(null)
                        .setFailureKind(null)
                        .setError(null)
                        .setHeaders(Map.of())
                        .build();
        BinaryMessageEncoder<InvocationResult> generic =
                new BinaryMessageEncoder<>(
                        new org.apache.avro.specific.SpecificData(),
                        InvocationResult.getClassSchema());
        AvroCodec<InvocationResult> codec = AvroCodec.of(InvocationResult.class);
        for (InvocationResult r : new InvocationResult[] {full, sparse}) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            generic.encode(r, expected);
            assertThat(codec.encode(r)).isEqualTo(expected.toByteArray());
            assertThat(codec.decode(codec.encode(r))).isEqualTo(r);
        }
    }

    @Test
    void aRecordThatFailsHalfWayLeavesNothingForTheNext() {
        AvroCodec<InvocationResult> codec = AvroCodec.of(InvocationResult.class);
        InvocationResult ok =
                InvocationResult.newBuilder()
                        .setInvocationId("i")
                        .setFunction("f")
                        .setVersion(1)
                        .setEventId("e")
                        .setSuccess(true)
                        .setAttempts(1)
                        .setStartMicros(1)
                        .setDurationMicros(1)
                        .build();
        byte[] alone = codec.encode(ok);
        InvocationResult broken = InvocationResult.newBuilder(ok).build();
        broken.setEventId(null); // fails after invocationId, function and version are written
        assertThatThrownBy(() -> codec.encode(broken)).isInstanceOf(RuntimeException.class);
        assertThat(codec.encode(ok)).isEqualTo(alone);
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

    @Test
    void anEventWrittenByTheBuildBeforeSourceIdentityDecodesWithItFalse() {
        // the Event schema as it was before sourceIdentity: every other field, same order
        Schema current = Event.getClassSchema();
        Schema before =
                Schema.createRecord(
                        current.getName(), current.getDoc(), current.getNamespace(), false);
        before.setFields(
                current.getFields().stream()
                        .filter(f -> !f.name().equals("sourceIdentity"))
                        .map(f -> new Schema.Field(f, f.schema()))
                        .toList());
        assertThat(SchemaCatalog.fingerprintKey(SchemaCatalog.fingerprint(before)))
                .as("the fingerprint of Event in the build before the field")
                .isEqualTo("cb339ffc298c1a8e");
        GenericRecord old = new GenericData.Record(before);
        old.put("id", "s3:photos/a.jpg@1:s3:ObjectCreated:Put");
        old.put("source", "s3://photos");
        old.put("specversion", "1.0");
        old.put("type", "s3:ObjectCreated:Put");
        old.put("time", 5L);
        old.put("data", ByteBuffer.wrap(new byte[0]));
        old.put("extensions", Map.of());

        // no fallback: the build's own catalog knows the previous version
        Event decoded = AvroCodec.of(Event.class).decode(encode(before, old));

        assertThat(decoded.getId()).isEqualTo("s3:photos/a.jpg@1:s3:ObjectCreated:Put");
        assertThat(decoded.getSourceIdentity()).isFalse();
        assertThat(current.getFields())
                .last()
                .extracting(Schema.Field::name)
                .isEqualTo("sourceIdentity");
    }

    @Test
    void theEventFingerprintIsTheOneContractsMdGivesProducersInOtherLanguages() {
        // changed Event.avsc? add the old version to FlowfnSchemas.PREVIOUS, then update both
        assertThat(SchemaCatalog.fingerprintKey(SchemaCatalog.fingerprint(Event.getClassSchema())))
                .isEqualTo("067aba20a5cecd90");
    }

    @Test
    void everyPreviousSchemaIsKnownToTheCatalogAndReadableByThisBuild() {
        assertThat(FlowfnSchemas.previous()).isNotEmpty();
        for (Schema old : FlowfnSchemas.previous()) {
            Schema current =
                    FlowfnSchemas.all().stream()
                            .filter(s -> s.getFullName().equals(old.getFullName()))
                            .findFirst()
                            .orElseThrow();
            assertThat(SchemaCatalog.fingerprint(old))
                    .isNotEqualTo(SchemaCatalog.fingerprint(current));
            assertThat(new SchemaCatalog().findByFingerprint(SchemaCatalog.fingerprint(old)))
                    .isEqualTo(old);
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType())
                    .as(old.getName() + ": this build reads what the previous one wrote")
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @Test
    void everyRecordWhoseSchemaChangedKeepsTheVersionOfTheBuildBefore() {
        // LogRecord gained progress; FailureKind gained PLATFORM_ERROR, which changes the three
        // records that embed it. Change another .avsc? add its previous version here too.
        assertThat(FlowfnSchemas.previous())
                .extracting(
                        s ->
                                s.getName()
                                        + "-"
                                        + SchemaCatalog.fingerprintKey(
                                                SchemaCatalog.fingerprint(s)))
                .contains(
                        "LogRecord-3da0b346ad52c002",
                        "DeadLetter-87b1ca297341b910",
                        "InvocationRecord-47b9dc2bbcd56651",
                        "InvocationResult-9f44e7e57ce2735d",
                        "DeadLetter-911ddb95dc1ed209",
                        "InvocationRecord-1201dfd277f1a32e",
                        "InvocationResult-a76c90da0f3754fe");
        for (Schema current : FlowfnSchemas.all()) {
            if (embeds(current, "FailureKind") || current.getName().equals("LogRecord")) {
                assertThat(FlowfnSchemas.previous())
                        .as(current.getName() + " changed with this build")
                        .anyMatch(old -> old.getFullName().equals(current.getFullName()));
            }
        }
    }

    @Test
    void aLogRecordWrittenByTheBuildBeforeProgressDecodesWithoutAReport() {
        Schema before = previous("LogRecord-3da0b346ad52c002");
        GenericRecord old = new GenericData.Record(before);
        old.put("function", "batch");
        old.put("version", 1L);
        old.put("invocationId", "i-1");
        old.put("attempt", 1);
        old.put("level", new GenericData.EnumSymbol(before.getField("level").schema(), "INFO"));
        old.put("message", "[progress 40%] a user's line, or a report of the old build");
        old.put("time", 5L);

        LogRecord decoded = AvroCodec.of(LogRecord.class).decode(encode(before, old));

        assertThat(decoded.getMessage()).startsWith("[progress 40%]");
        assertThat(decoded.getProgress()).isNull();
        assertThat(LogRecord.getClassSchema().getFields())
                .last()
                .extracting(Schema.Field::name)
                .isEqualTo("progress");
    }

    @Test
    void aReaderBuiltBeforePlatformErrorReadsItAsTheEnumDefault() throws Exception {
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setFunction("f")
                        .setKind(FailureKind.PLATFORM_ERROR)
                        .setReason("the platform failed")
                        .setTime(Instant.ofEpochMilli(5))
                        .build();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(body, null);
        new SpecificDatumWriter<DeadLetter>(DeadLetter.getClassSchema()).write(letter, encoder);
        encoder.flush();

        Schema before = previous("DeadLetter-87b1ca297341b910");
        GenericRecord read =
                new GenericDatumReader<GenericRecord>(DeadLetter.getClassSchema(), before)
                        .read(null, DecoderFactory.get().binaryDecoder(body.toByteArray(), null));

        assertThat(read.get("kind")).hasToString("HANDLER_ERROR");
        assertThat(FailureKind.getClassSchema().getEnumDefault()).isEqualTo("HANDLER_ERROR");
    }

    private static Schema previous(String nameAndFingerprint) {
        return FlowfnSchemas.previous().stream()
                .filter(
                        s ->
                                (s.getName()
                                                + "-"
                                                + SchemaCatalog.fingerprintKey(
                                                        SchemaCatalog.fingerprint(s)))
                                        .equals(nameAndFingerprint))
                .findFirst()
                .orElseThrow(() -> new AssertionError(nameAndFingerprint + " is not shipped"));
    }

    private static boolean embeds(Schema schema, String name) {
        return schema.toString().contains("\"name\":\"" + name + "\"");
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
