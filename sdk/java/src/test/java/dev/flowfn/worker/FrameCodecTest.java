package dev.flowfn.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameCodecTest {

    /** The frames every implementation decodes and re-encodes byte for byte. */
    private static final Path VECTORS = Path.of("../protocol/vectors.json");

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> vectors() throws IOException, JsonException {
        Map<String, Object> file =
                (Map<String, Object>) JsonReader.parse(Files.readString(VECTORS));
        assertThat(file.get("protocol")).isEqualTo(2L);
        return (List<Map<String, Object>>) file.get("vectors");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> compactVectors() throws IOException, JsonException {
        Map<String, Object> file =
                (Map<String, Object>) JsonReader.parse(Files.readString(VECTORS));
        return (List<Map<String, Object>>) file.get("compact");
    }

    /** INVOKE_COMPACT (protocol 2): its binary header reads as the JSON one of the same INVOKE. */
    @Test
    @SuppressWarnings("unchecked")
    void decodesEveryCompactVectorAsTheSameInvoke() throws Exception {
        List<Map<String, Object>> compact = compactVectors();
        assertThat(compact).hasSizeGreaterThanOrEqualTo(3);
        for (Map<String, Object> v : compact) {
            Map<String, Object> f = (Map<String, Object>) v.get("invoke");
            byte[] bytes = HexFormat.of().parseHex((String) v.get("frameHex"));

            Frame frame =
                    new FrameReader(Channels.newChannel(new ByteArrayInputStream(bytes))).next();
            InvokeRequest invoke = InvokeRequest.of(frame);

            assertThat(frame.type()).isEqualTo(MessageType.INVOKE_COMPACT);
            assertThat(invoke.id()).isEqualTo(f.get("id"));
            assertThat(invoke.function()).isEqualTo(f.get("function"));
            assertThat(invoke.version()).isEqualTo(f.get("version"));
            assertThat((long) invoke.attempt()).isEqualTo(f.get("attempt"));
            assertThat(invoke.deadline().toEpochMilli()).isEqualTo(f.get("deadline"));
            assertThat((long) invoke.memoryMb()).isEqualTo(f.get("memoryMb"));
            InvokedEvent e = invoke.event();
            assertThat(e.id()).isEqualTo(f.get("eventId"));
            assertThat(e.source()).isEqualTo(f.get("source"));
            assertThat(e.type()).isEqualTo(f.get("type"));
            assertThat(e.subject().orElse(null)).isEqualTo(f.get("subject"));
            assertThat(e.time().toEpochMilli()).isEqualTo(f.get("time"));
            assertThat(e.dataContentType().orElse(null)).isEqualTo(f.get("datacontenttype"));
            assertThat(e.extensions())
                    .containsExactlyEntriesOf((Map<String, String>) f.get("extensions"));
            assertThat(HexFormat.of().formatHex(e.data())).isEqualTo(v.get("bodyHex"));
        }
    }

    @Test
    void aCompactHeaderWhoseStringsDoNotAddUpIsAProtocolError() throws Exception {
        byte[] bytes = HexFormat.of().parseHex((String) compactVectors().get(0).get("frameHex"));
        bytes[9 + 33 + 3] = (byte) 200; // the id's length runs past the header
        assertThatThrownBy(() -> FrameCodec.decode(bytes))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("INVOKE_COMPACT strings take");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorNames")
    void decodesAndReencodesEveryVectorByteForByte(String name) throws Exception {
        Map<String, Object> v =
                vectors().stream()
                        .filter(x -> x.get("name").equals(name))
                        .findFirst()
                        .orElseThrow();
        byte[] bytes = HexFormat.of().parseHex((String) v.get("frameHex"));

        Frame frame = FrameCodec.decode(bytes);

        assertThat((long) frame.type().code()).isEqualTo(v.get("type"));
        assertThat(frame.header()).isEqualTo(v.get("header"));
        assertThat(HexFormat.of().formatHex(frame.body())).isEqualTo(v.get("bodyHex"));
        assertThat(HexFormat.of().formatHex(array(FrameCodec.encode(frame))))
                .isEqualTo(v.get("frameHex"));
        // and the same through the stream reader, with the frame arriving as bytes on a channel
        FrameReader reader = new FrameReader(Channels.newChannel(new ByteArrayInputStream(bytes)));
        assertThat(reader.next().header()).isEqualTo(v.get("header"));
        assertThat(reader.next()).isNull();
    }

    static List<String> vectorNames() throws IOException, JsonException {
        List<String> names = vectors().stream().map(v -> (String) v.get("name")).toList();
        assertThat(names).hasSizeGreaterThanOrEqualTo(17);
        return names;
    }

    @Test
    void readsFramesHoweverTheyArrive() throws Exception {
        ByteBuffer a = FrameCodec.encode(MessageType.PING, Map.of("nonce", 1L), null);
        ByteBuffer b =
                FrameCodec.encode(MessageType.STOP, Map.of("reason", "idle"), new byte[] {1, 2});
        byte[] both = ByteBuffer.allocate(a.remaining() + b.remaining()).put(a).put(b).array();
        // a channel that returns one byte per read
        FrameReader reader =
                new FrameReader(
                        new ReadableByteChannel() {
                            int pos;

                            @Override
                            public int read(ByteBuffer dst) {
                                if (pos == both.length) {
                                    return -1;
                                }
                                dst.put(both[pos++]);
                                return 1;
                            }

                            @Override
                            public boolean isOpen() {
                                return true;
                            }

                            @Override
                            public void close() {}
                        });
        assertThat(reader.next().header()).isEqualTo(Map.of("nonce", 1L));
        Frame stop = reader.next();
        assertThat(stop.type()).isEqualTo(MessageType.STOP);
        assertThat(stop.body()).containsExactly(1, 2);
        assertThat(reader.next()).isNull();
    }

    @Test
    void aStreamThatEndsInsideAFrameIsEndOfFileNotAFrame() {
        byte[] frame = array(FrameCodec.encode(MessageType.PING, Map.of("nonce", 1L), null));
        byte[] cut = Arrays.copyOf(frame, frame.length - 1);
        FrameReader reader = new FrameReader(Channels.newChannel(new ByteArrayInputStream(cut)));
        assertThatThrownBy(reader::next).isInstanceOf(EOFException.class);
    }

    @Test
    void refusesFramesThatBreakTheProtocol() {
        assertThatThrownBy(() -> FrameCodec.decode(frame(0x55, "{}")))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("unknown message type 0x55");
        assertThatThrownBy(() -> FrameCodec.decode(frame(0xA0, "[1]")))
                .hasMessage("header of a PING frame is not a JSON object");
        assertThatThrownBy(() -> FrameCodec.decode(frame(0xA0, "{\"nonce\":")))
                .hasMessageStartingWith("header of a PING frame is not JSON: expected a value");
        byte[] latin1 = frame(0xA0, "{\"n\":\"\u00e9\"}", StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> FrameCodec.decode(latin1))
                .hasMessageStartingWith("header of a PING frame is not UTF-8");
        byte[] pastEnd = frame(0xA0, "{}");
        ByteBuffer.wrap(pastEnd).putInt(5, 3);
        assertThatThrownBy(() -> FrameCodec.decode(pastEnd))
                .hasMessage("header length 3 of a PING frame runs past the frame's end");
        byte[] huge = ByteBuffer.allocate(9).putInt(FrameCodec.MAX_FRAME + 1).array();
        assertThatThrownBy(
                        () ->
                                new FrameReader(Channels.newChannel(new ByteArrayInputStream(huge)))
                                        .next())
                .isInstanceOf(ProtocolException.class)
                .hasMessage("frame length 67108865 is over the protocol's limit of 64 MiB");
        byte[] tiny = ByteBuffer.allocate(8).putInt(4).array();
        assertThatThrownBy(
                        () ->
                                new FrameReader(Channels.newChannel(new ByteArrayInputStream(tiny)))
                                        .next())
                .hasMessage("frame length 4 is too short for a type and a header length");
    }

    @Test
    void refusesToEncodeAFrameOverTheLimit() {
        byte[] body = new byte[FrameCodec.MAX_FRAME];
        assertThatThrownBy(() -> FrameCodec.encode(MessageType.EMIT, Map.of("id", "x"), body))
                .isInstanceOf(FrameTooLargeException.class)
                .hasMessageContaining("EMIT frame of 67108879 bytes is over the protocol's limit");
    }

    private static byte[] frame(int type, String header) {
        return frame(type, header, StandardCharsets.UTF_8);
    }

    private static byte[] frame(int type, String header, Charset charset) {
        byte[] h = header.getBytes(charset);
        return ByteBuffer.allocate(9 + h.length)
                .putInt(5 + h.length)
                .put((byte) type)
                .putInt(h.length)
                .put(h)
                .array();
    }

    private static byte[] array(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
