package dev.flowfn.examples.iotlogs;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.OutgoingEvent;
import dev.flowfn.api.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses device log messages (from an {@code mqtt:} trigger, or a {@code kafka:topic=mqtt.raw}
 * replay) into {@link DeviceReading}s, one per line, emitted to the Kafka topic {@value #TOPIC}
 * (Avro single-object encoding, key = device id). The device id is the event's subject (the MQTT
 * topic level the trigger names), else a {@code device=} field.
 *
 * <p>A message with a line in none of the three formats (or not UTF-8, or too long) fails with an
 * {@link UnparsableLineException} that quotes the line and says why; nothing of that message is
 * emitted, and the platform dead-letters the event with that reason. Stateless: thread-safe.
 */
public final class ParseDeviceLog implements Handler {

    /** Where readings go. */
    public static final String TOPIC = "iot.records";

    @Override
    public Result handle(Event event, Context context) {
        String text = utf8(event.data());
        List<DeviceReading> readings = new ArrayList<>();
        String device = event.subject().filter(s -> !s.contains("/")).orElse(null);
        for (String line : text.split("\r?\n")) {
            if (!line.isBlank()) {
                readings.add(LineParser.parse(line, device, event.time()));
            }
        }
        if (readings.isEmpty()) {
            throw new UnparsableLineException(text, "the message has no line");
        }
        for (DeviceReading r : readings) {
            context.emit(OutgoingEvent.record(TOPIC, r.getDevice(), encode(r)));
        }
        return Result.json(
                "{\"device\":\""
                        + readings.get(0).getDevice().replace("\"", "\\\"")
                        + "\",\"readings\":"
                        + readings.size()
                        + "}");
    }

    static byte[] encode(DeviceReading reading) {
        try {
            ByteBuffer buffer = DeviceReading.getEncoder().encode(reading);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Strict UTF-8: a message that is not text fails with where its first bad byte is. */
    static String utf8(byte[] data) {
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(data);
        CharBuffer out = CharBuffer.allocate(data.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int bad = Math.min(in.position(), data.length - 1);
            String readable =
                    new String(data, 0, Math.min(data.length, 200), StandardCharsets.UTF_8);
            throw new UnparsableLineException(
                    readable,
                    "not UTF-8 text (invalid byte 0x%02X at offset %d of %d bytes)"
                            .formatted(data[bad] & 0xff, bad, data.length));
        }
        return out.flip().toString();
    }
}
