package dev.flowfn.job.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.job.runtime.TestSdkHome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private static final HexFormat HEX = HexFormat.of();
    private static List<JsonNode> vectors;
    private static List<JsonNode> compactVectors;

    @BeforeAll
    static void readVectors() throws IOException {
        JsonNode file =
                new ObjectMapper().readTree(TestSdkHome.vectors(TestSdkHome.find()).toFile());
        assertThat(file.get("protocol").intValue()).isEqualTo(2);
        vectors = new ArrayList<>();
        file.get("vectors").forEach(vectors::add);
        assertThat(vectors).hasSizeGreaterThan(10);
        compactVectors = new ArrayList<>();
        file.get("compact").forEach(compactVectors::add);
        assertThat(compactVectors).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void encodesEveryCompactVectorByteForByte() {
        for (JsonNode v : compactVectors) {
            JsonNode f = v.get("invoke");
            Map<String, String> extensions = new java.util.LinkedHashMap<>();
            f.get("extensions")
                    .fields()
                    .forEachRemaining(e -> extensions.put(e.getKey(), e.getValue().textValue()));
            Invoke invoke =
                    new Invoke(
                            f.get("id").textValue(),
                            f.get("function").textValue(),
                            f.get("version").intValue(),
                            f.get("attempt").intValue(),
                            f.get("deadline").longValue(),
                            f.get("memoryMb").intValue(),
                            new InvokeEvent(
                                    f.get("eventId").textValue(),
                                    f.get("source").textValue(),
                                    f.get("type").textValue(),
                                    f.get("subject").textValue(),
                                    f.get("time").longValue(),
                                    f.get("datacontenttype").textValue(),
                                    f.get("sourceIdentity").booleanValue(),
                                    extensions),
                            HEX.parseHex(v.get("bodyHex").textValue()));
            ByteBuffer frame = FrameCodec.encodeInvokeCompact(invoke);
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            assertThat(HEX.formatHex(bytes))
                    .as(v.get("name").textValue())
                    .isEqualTo(v.get("frameHex").textValue());
        }
    }

    @Test
    void decodesEveryVectorAndReEncodesItByteForByte() throws Exception {
        for (JsonNode v : vectors) {
            String name = v.get("name").textValue();
            byte[] bytes = HEX.parseHex(v.get("frameHex").textValue());

            Frame frame = FrameCodec.decode(bytes);

            assertThat(frame.type().code()).as(name).isEqualTo(v.get("type").intValue());
            assertThat((JsonNode) frame.header()).as(name).isEqualTo(v.get("header"));
            assertThat(frame.body()).as(name).isEqualTo(HEX.parseHex(v.get("bodyHex").textValue()));
            assertThat(FrameCodec.encode(frame)).as(name + " as a frame").isEqualTo(bytes);
            Message typed = Message.of(frame);
            assertThat(typed.type()).as(name).isEqualTo(frame.type());
            assertThat(FrameCodec.encode(typed)).as(name + " as " + typed).isEqualTo(bytes);
        }
    }

    @Test
    void streamsAnInvokeToTheSameBytesAsItsTree() throws Exception {
        List<Invoke> invokes = new ArrayList<>();
        for (JsonNode v : vectors) {
            Message m = Message.of(FrameCodec.decode(HEX.parseHex(v.get("frameHex").textValue())));
            if (m instanceof Invoke invoke) {
                invokes.add(invoke);
            }
        }
        assertThat(invokes).as("the vectors hold INVOKEs").hasSizeGreaterThanOrEqualTo(2);
        Map<String, String> ext = new java.util.LinkedHashMap<>();
        ext.put("zeta", "\"quoted\" \u00e9\u2713");
        ext.put("alpha", "");
        invokes.add(
                new Invoke(
                        "inv-\u2603",
                        "fn",
                        Integer.MAX_VALUE,
                        3,
                        Long.MAX_VALUE,
                        0,
                        new InvokeEvent("e", "src", "t", null, -1, null, false, ext),
                        new byte[] {0, 1, 2, (byte) 255}));
        Map<String, String> plainExt = new java.util.LinkedHashMap<>();
        plainExt.put("traceparent", "00-4bf92f3577b34da6-00f067aa0ba902b7-01");
        plainExt.put("flowfntarget", "");
        invokes.add(
                new Invoke(
                        "words/0/41/upper ~!@#$%^&*()_+{}|:<>?/",
                        "upper",
                        7,
                        2,
                        -5,
                        128,
                        new InvokeEvent(
                                "words/0/41",
                                "kafka://words/0",
                                "kafka.record",
                                "k 1",
                                Long.MIN_VALUE,
                                "application/json",
                                true,
                                plainExt),
                        new byte[0]));
        for (Invoke invoke : invokes) {
            ByteBuffer streamed = FrameCodec.encodeInvoke(invoke);
            byte[] bytes = new byte[streamed.remaining()];
            streamed.get(bytes);
            assertThat(bytes).as(invoke.toString()).isEqualTo(FrameCodec.encode(invoke));
            Invoke decoded = (Invoke) Message.of(FrameCodec.decode(bytes));
            assertThat(decoded.id()).isEqualTo(invoke.id());
            assertThat(decoded.event()).isEqualTo(invoke.event());
            assertThat(decoded.data()).isEqualTo(invoke.data());
        }
    }

    @Test
    void valuesThatRepeatOrChangeFromOneInvokeToTheNextAreWrittenAsTheyAre() {
        String fn = "upper";
        String source = "kafka://words/0";
        List<Invoke> invokes = new ArrayList<>();
        for (String[] v :
                new String[][] {
                    {fn, source, "kafka.record"},
                    {fn, source, "kafka.record"}, // the same instances: from the bytes kept
                    {new String("lower"), "kafka://words/1", "kafka.record"},
                    {fn, "kafka://\"quoted\"/0", "kafka.record"}, // not plain: Jackson writes it
                    {fn, source, "t\u00e9"},
                    {fn, source, "kafka.record"},
                }) {
            invokes.add(
                    new Invoke(
                            "i" + invokes.size(),
                            v[0],
                            1,
                            1,
                            5,
                            128,
                            new InvokeEvent("e", v[1], v[2], "k", 7, null, false, Map.of()),
                            new byte[] {1}));
        }
        for (Invoke invoke : invokes) {
            ByteBuffer streamed = FrameCodec.encodeInvoke(invoke);
            byte[] bytes = new byte[streamed.remaining()];
            streamed.get(bytes);
            assertThat(bytes).as(invoke.toString()).isEqualTo(FrameCodec.encode(invoke));
        }
    }

    @Test
    void refusesToStreamAnOversizeInvoke() {
        Invoke big =
                new Invoke(
                        "i",
                        "fn",
                        1,
                        1,
                        0,
                        128,
                        new InvokeEvent("e", "s", "t", null, 0, null, true, Map.of()),
                        new byte[FrameCodec.MAX_FRAME_BYTES]);
        assertThatThrownBy(() -> FrameCodec.encodeInvoke(big))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over the 64 MiB limit");
    }

    @Test
    void typedViewsReadTheFields() throws Exception {
        Hello hello = (Hello) Message.of(FrameCodec.decode(vector("hello")));
        assertThat(hello).isEqualTo(new Hello(1, "nodejs", "0.1.0", 4242, 8, null));
        Result.Ok ok = (Result.Ok) Message.of(FrameCodec.decode(vector("result-ok")));
        assertThat(ok.headers()).isEqualTo(Map.of("x-flowfn", "1"));
        assertThat(new String(ok.data(), StandardCharsets.UTF_8)).isEqualTo("HÉLLO");
        Progress unknown = (Progress) Message.of(FrameCodec.decode(vector("progress-unknown")));
        assertThat(unknown.fraction()).isNull();
        Invoke invoke = (Invoke) Message.of(FrameCodec.decode(vector("invoke-binary-unicode")));
        assertThat(invoke.event().subject()).isNull();
        assertThat(invoke.event().sourceIdentity()).isFalse();
        assertThat(invoke.data()).startsWith(0, 1, 2, 255);
    }

    @Test
    void keepsNonAsciiAsUtf8InCompactHeaders() {
        byte[] bytes = FrameCodec.encode(new Log("i", "WARN", "café ✓", 1));
        String header = new String(bytes, 9, bytes.length - 9, StandardCharsets.UTF_8);
        assertThat(header)
                .isEqualTo("{\"id\":\"i\",\"level\":\"WARN\",\"message\":\"café ✓\",\"time\":1}");
    }

    @Test
    void decodesFramesSplitAnywhereAndSeveralPerChunk() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<Frame> expected = new ArrayList<>();
        for (JsonNode v : vectors) {
            byte[] bytes = HEX.parseHex(v.get("frameHex").textValue());
            stream.writeBytes(bytes);
            expected.add(FrameCodec.decode(bytes));
        }
        byte[] all = stream.toByteArray();

        for (int chunk : new int[] {1, 2, 3, 7, 64, 1000, all.length}) {
            FrameDecoder decoder = FrameCodec.decoder();
            List<Frame> got = new ArrayList<>();
            for (int at = 0; at < all.length; at += chunk) {
                got.addAll(
                        decoder.push(ByteBuffer.wrap(all, at, Math.min(chunk, all.length - at))));
            }
            assertThat(got).as("chunks of %d bytes", chunk).isEqualTo(expected);
            assertThat(decoder.buffered()).isZero();
        }
    }

    @Test
    void holdsAPartialFrameUntilItsLastByte() throws Exception {
        byte[] bytes = FrameCodec.encode(new Ping(7));
        FrameDecoder decoder = FrameCodec.decoder();
        assertThat(decoder.push(ByteBuffer.wrap(bytes, 0, bytes.length - 1))).isEmpty();
        assertThat(decoder.buffered()).isEqualTo(bytes.length - 1);
        List<Frame> frames = decoder.push(ByteBuffer.wrap(bytes, bytes.length - 1, 1));
        assertThat(frames).hasSize(1);
        assertThat(Message.of(frames.get(0))).isEqualTo(new Ping(7));
        assertThat(decoder.buffered()).isZero();
    }

    @Test
    void refusesAnOversizeFrameFromItsLengthAlone() {
        ByteBuffer prefix = ByteBuffer.allocate(4).putInt(FrameCodec.MAX_FRAME_BYTES + 1).flip();
        assertThatThrownBy(() -> FrameCodec.decoder().push(prefix))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("67108865 bytes is over the 64 MiB limit");
    }

    @Test
    void refusesToEncodeAnOversizeFrame() {
        Frame big =
                new Frame(
                        MessageType.RESULT,
                        new Result.Ok("i", null, 200, Map.of(), 1, null).header(),
                        new byte[FrameCodec.MAX_FRAME_BYTES]);
        assertThatThrownBy(() -> FrameCodec.encode(big))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over the 64 MiB limit");
    }

    @Test
    void refusesAnUnknownMessageType() {
        byte[] bytes = frame(0x7F, "{}", "");
        assertThatThrownBy(() -> FrameCodec.decode(bytes))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown message type 0x7F");
    }

    @Test
    void refusesAHeaderThatIsNotAJsonObject() {
        assertThatThrownBy(() -> FrameCodec.decode(frame(0x20, "[7]", "")))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("PONG header must be a JSON object, got ARRAY");
        assertThatThrownBy(() -> FrameCodec.decode(frame(0x20, "{\"nonce\":", "")))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("PONG header is not valid JSON");
    }

    @Test
    void refusesAHeaderLongerThanItsFrame() {
        byte[] bytes = frame(0x20, "{}", "");
        bytes[8] = 100; // header length 100 in a frame of 7 bytes
        assertThatThrownBy(() -> FrameCodec.decode(bytes))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("header has 100 bytes, but the frame has only 2");
    }

    @Test
    void typedViewNamesAMissingOrMistypedField() {
        assertThatThrownBy(() -> Message.of(FrameCodec.decode(frame(0x10, "{\"ok\":true}", ""))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("RESULT header: 'id' must be a string, got nothing");
        String invoke =
                "{\"id\":\"i\",\"function\":\"f\",\"version\":1,\"attempt\":1,\"deadline\":5,"
                        + "\"memoryMb\":1,\"event\":{\"id\":7}}";
        assertThatThrownBy(() -> Message.of(FrameCodec.decode(frame(0x90, invoke, ""))))
                .hasMessage("INVOKE header: 'event.id' must be a string, got 7");
    }

    @Test
    void readsEveryVectorAsTheSameMessageWithoutATree() throws Exception {
        int results = 0;
        for (JsonNode v : vectors) {
            byte[] bytes = HEX.parseHex(v.get("frameHex").textValue());
            Message tree = Message.of(FrameCodec.decode(bytes));
            List<Message> streamed = messages(bytes);
            assertThat(streamed).as(v.get("name").textValue()).hasSize(1);
            assertThat(streamed.get(0)).isInstanceOf(tree.getClass());
            assertThat(FrameCodec.encode(streamed.get(0))).isEqualTo(bytes);
            results += tree instanceof Result ? 1 : 0;
        }
        assertThat(results).as("the vectors hold RESULTs").isGreaterThanOrEqualTo(2);
    }

    @Test
    void readsAResultHeaderWithoutATreeAsTheTreeReadsIt() throws Exception {
        String[] accepted = {
            "{\"id\":\"a\",\"ok\":true,\"contentType\":null,\"status\":200,\"headers\":{},"
                    + "\"durationUs\":3}",
            "{\"durationUs\":9000000000,\"status\":201,\"ok\":true,\"id\":\"b\"}",
            "{\"id\":\"c\",\"ok\":true,\"status\":200,\"headers\":null,\"durationUs\":0,"
                    + "\"later\":{\"x\":[1,{\"y\":null}]},\"contentType\":\"text/plain\"}",
            "{\"id\":\"d\",\"ok\":true,\"status\":200,\"headers\":{\"x-a\":\"1\",\"é\":\"ü\"},"
                    + "\"durationUs\":1}",
            "{\"id\":\"e\",\"ok\":false,\"kind\":\"HANDLER_ERROR\",\"message\":\"boom\","
                    + "\"stack\":null,\"durationUs\":7,\"status\":\"ignored\"}",
            "{\"id\":\"f\",\"ok\":false,\"kind\":\"BAD_RESULT\",\"message\":\"m\",\"durationUs\":7}",
            "{\"id\":7,\"id\":\"g\",\"ok\":true,\"status\":200,\"durationUs\":1}",
        };
        for (String header : accepted) {
            byte[] bytes = frame(0x10, header, "data");
            Message tree = Message.of(FrameCodec.decode(bytes));
            Message streamed = messages(bytes).get(0);
            assertThat(streamed).as(header).isInstanceOf(tree.getClass());
            assertThat(FrameCodec.encode(streamed)).as(header).isEqualTo(FrameCodec.encode(tree));
        }
    }

    @Test
    void refusesABadResultHeaderWithTheTreesMessage() throws Exception {
        String[] refused = {
            "{\"ok\":true}",
            "{\"id\":5,\"ok\":true,\"status\":200,\"durationUs\":1}",
            "{\"id\":\"a\",\"ok\":true,\"status\":1.5,\"durationUs\":1}",
            "{\"id\":\"a\",\"ok\":true,\"status\":9000000000,\"durationUs\":1}",
            "{\"id\":\"a\",\"ok\":true,\"status\":200,\"durationUs\":1e3}",
            "{\"id\":\"a\",\"ok\":true,\"status\":200,\"durationUs\":99999999999999999999}",
            "{\"id\":\"a\",\"ok\":true,\"status\":200,\"headers\":{\"x\":1},\"durationUs\":1}",
            "{\"id\":\"a\",\"ok\":\"yes\",\"status\":200,\"durationUs\":1}",
            "{\"id\":\"a\",\"ok\":false,\"kind\":\"HANDLER_ERROR\",\"durationUs\":1}",
            "{\"id\":\"a\",\"ok\":true,\"status\":200,\"durationUs\":1} {}",
            "[1]",
            "{\"id\":",
            "",
        };
        for (String header : refused) {
            byte[] bytes = frame(0x10, header, "");
            Throwable tree = catchThrowable(() -> Message.of(FrameCodec.decode(bytes)));
            assertThat(tree).as(header).isInstanceOf(ProtocolException.class);
            assertThatThrownBy(() -> messages(bytes))
                    .as(header)
                    .isInstanceOf(ProtocolException.class)
                    .hasMessage(tree.getMessage());
        }
    }

    @Test
    void ignoresUnknownHeaderFields() throws Exception {
        Message pong = Message.of(FrameCodec.decode(frame(0x20, "{\"nonce\":3,\"later\":1}", "")));
        assertThat(pong).isEqualTo(new Pong(3));
    }

    /** Every message of the bytes, read as the job reads a worker's frames. */
    private static List<Message> messages(byte[] bytes) throws ProtocolException {
        List<Message> out = new ArrayList<>();
        FrameCodec.decoder().pushMessages(ByteBuffer.wrap(bytes), out::add);
        return out;
    }

    @Test
    void handsOverTheMessagesBeforeABadFrameBeforeItsException() throws Exception {
        byte[] result = vector("result-ok");
        byte[] badHello = frame(0x01, "{\"protocol\":1}", "");
        byte[] both =
                ByteBuffer.allocate(result.length + badHello.length)
                        .put(result)
                        .put(badHello)
                        .array();
        List<Message> got = new ArrayList<>();
        assertThatThrownBy(() -> FrameCodec.decoder().pushMessages(ByteBuffer.wrap(both), got::add))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("HELLO header");
        assertThat(got).singleElement().isInstanceOf(Result.Ok.class);
    }

    private static byte[] vector(String name) {
        return vectors.stream()
                .filter(v -> v.get("name").textValue().equals(name))
                .map(v -> HEX.parseHex(v.get("frameHex").textValue()))
                .findFirst()
                .orElseThrow();
    }

    private static byte[] frame(int type, String header, String body) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(9 + h.length + b.length)
                .putInt(5 + h.length + b.length)
                .put((byte) type)
                .putInt(h.length)
                .put(h)
                .put(b)
                .array();
    }
}
