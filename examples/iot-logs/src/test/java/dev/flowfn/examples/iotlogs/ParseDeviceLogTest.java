package dev.flowfn.examples.iotlogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.api.OutgoingEvent;
import dev.flowfn.api.Result;
import dev.flowfn.api.testing.TestContext;
import dev.flowfn.api.testing.TestEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParseDeviceLogTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-24T06:00:00Z");

    private static DeviceReading one(String subject, String line) throws Exception {
        TestContext context = TestContext.create();
        Result result =
                new ParseDeviceLog()
                        .handle(event(subject, line.getBytes(StandardCharsets.UTF_8)), context);
        assertThat(result.dataAsString()).contains("\"readings\":1");
        List<OutgoingEvent> emitted = context.emitted();
        assertThat(emitted).hasSize(1);
        OutgoingEvent e = emitted.get(0);
        assertThat(e.topic()).contains("iot.records");
        assertThat(e.subject()).contains(subject);
        return DeviceReading.getDecoder().decode(e.data());
    }

    private static dev.flowfn.api.Event event(String subject, byte[] data) {
        return TestEvent.builder()
                .type("mqtt.message")
                .subject(subject)
                .time(RECEIVED)
                .data(data)
                .build();
    }

    @Test
    void keyValueWithQuotedValuesTimeAndLevel() throws Exception {
        DeviceReading r =
                one(
                        "sensor-7",
                        "2026-11-24T05:00:01Z WARN temp=81.5 unit=C fw=1.4.2 msg=\"fan slow\"");
        assertThat(r.getDevice()).isEqualTo("sensor-7");
        assertThat(r.getTime()).isEqualTo(Instant.parse("2026-11-24T05:00:01Z"));
        assertThat(r.getLevel()).isEqualTo("WARN");
        assertThat(r.getMetrics()).isEqualTo(Map.of("temp", 81.5));
        assertThat(r.getTags()).isEqualTo(Map.of("unit", "C"));
        assertThat(r.getFirmware()).isEqualTo("1.4.2");
        assertThat(r.getMessage()).isEqualTo("fan slow");
        assertThat(r.getFormat()).isEqualTo("kv");
    }

    @Test
    void keyValueWithoutTimeUsesTheReceiveTimeAndEscapedQuotes() throws Exception {
        DeviceReading r = one("pump-1", "rpm=1200 msg=\"said \\\"hi\\\" twice\" ok=true");
        assertThat(r.getTime()).isEqualTo(RECEIVED);
        assertThat(r.getLevel()).isEqualTo("INFO");
        assertThat(r.getMessage()).isEqualTo("said \"hi\" twice");
        assertThat(r.getMetrics()).containsEntry("rpm", 1200.0);
        assertThat(r.getTags()).containsEntry("ok", "true");
    }

    @Test
    void json() throws Exception {
        DeviceReading r =
                one(
                        "sensor-7",
                        "{\"time\":\"2026-11-24T05:00:01+01:00\",\"level\":\"error\",\"fw\":\"2.0\","
                                + "\"metrics\":{\"temp\":90,\"hum\":0.4},\"door\":\"open\",\"alarm\":true,"
                                + "\"power\":{\"v\":3.3},\"msg\":\"overheat\"}");
        assertThat(r.getTime()).isEqualTo(Instant.parse("2026-11-24T04:00:01Z"));
        assertThat(r.getLevel()).isEqualTo("ERROR");
        assertThat(r.getMetrics())
                .containsEntry("temp", 90.0)
                .containsEntry("hum", 0.4)
                .containsEntry("alarm", 1.0)
                .containsEntry("power.v", 3.3);
        assertThat(r.getTags()).containsEntry("door", "open");
        assertThat(r.getFirmware()).isEqualTo("2.0");
        assertThat(r.getMessage()).isEqualTo("overheat");
        assertThat(r.getFormat()).isEqualTo("json");
    }

    @Test
    void rfc5424Syslog() throws Exception {
        DeviceReading r =
                one(
                        "sensor-7",
                        "<165>1 2026-11-24T05:00:01.003Z sensor-7 fwd - ID47 [reading@32473 temp=\"81.5\" unit=\"C\" fw=\"1.4.2\"][meta@1 site=\"north\"] \uFEFFfan slow");
        assertThat(r.getLevel()).isEqualTo("INFO"); // 165 % 8 = 5, notice
        assertThat(r.getTime()).isEqualTo(Instant.parse("2026-11-24T05:00:01.003Z"));
        assertThat(r.getMetrics()).isEqualTo(Map.of("temp", 81.5));
        assertThat(r.getTags())
                .containsEntry("unit", "C")
                .containsEntry("site", "north")
                .containsEntry("app", "fwd");
        assertThat(r.getFirmware()).isEqualTo("1.4.2");
        assertThat(r.getMessage()).isEqualTo("fan slow");
        assertThat(r.getFormat()).isEqualTo("syslog");
    }

    @Test
    void syslogHostIsTheDeviceWhenTheTopicHasNone() throws Exception {
        TestContext context = TestContext.create();
        new ParseDeviceLog()
                .handle(
                        TestEvent.builder()
                                .data("<11>1 - gw-3 app - - - disk full")
                                .time(RECEIVED)
                                .build(),
                        context);
        DeviceReading r = DeviceReading.getDecoder().decode(context.emitted().get(0).data());
        assertThat(r.getDevice()).isEqualTo("gw-3");
        assertThat(r.getLevel()).isEqualTo("ERROR");
        assertThat(r.getMessage()).isEqualTo("disk full");
    }

    @Test
    void severalLinesAreSeveralReadings() {
        TestContext context = TestContext.create();
        new ParseDeviceLog()
                .handle(
                        event(
                                "s1",
                                "temp=1\n{\"temp\":2}\r\n\ntemp=3\n"
                                        .getBytes(StandardCharsets.UTF_8)),
                        context);
        assertThat(context.emitted()).hasSize(3);
    }

    @Test
    void unparsableLinesFailWithTheLineAndTheReason() {
        assertBad("hello world", "\"hello world\"", "'hello' at character 1 is not key=value");
        assertBad("temp=1 msg=\"open", "unterminated quoted value of 'msg'");
        assertBad("{\"temp\": 1,", "invalid JSON");
        assertBad("[1,2]", "'[1,2]' at character 1 is not key=value");
        assertBad("<999>1 - - - - - -", "PRI must be 0-191");
        assertBad("<13>1 2026-11-24T05:00:01Z h a - - [broken", "not RFC 5424");
        assertBad("time=yesterday temp=1", "bad time 'yesterday'");
        assertBad("WARN", "no fields");
        assertBad("   \n  ", "no line");
        // one bad line: nothing of the message is emitted
        TestContext context = TestContext.create();
        assertThatThrownBy(
                        () ->
                                new ParseDeviceLog()
                                        .handle(
                                                event(
                                                        "s",
                                                        "temp=1\nbad line"
                                                                .getBytes(StandardCharsets.UTF_8)),
                                                context))
                .hasMessageContaining("\"bad line\"");
        assertThat(context.emitted()).isEmpty();
    }

    @Test
    void nonUtf8AndHugePayloadsFailWithAReason() {
        byte[] binary = {'t', '=', (byte) 0xff, (byte) 0xfe, 0x00};
        assertThatThrownBy(
                        () -> new ParseDeviceLog().handle(event("s", binary), TestContext.create()))
                .isInstanceOf(UnparsableLineException.class)
                .hasMessageContaining("not UTF-8 text (invalid byte 0xFF at offset 2 of 5 bytes)");
        byte[] huge = "x".repeat(1024 * 1024).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(
                        () -> new ParseDeviceLog().handle(event("s", huge), TestContext.create()))
                .hasMessageContaining(
                        "line of 1048576 characters is over the 65536-character limit")
                .hasMessageContaining("(1048376 more characters)");
    }

    @Test
    void controlCharactersAreEscapedInTheQuote() {
        assertThat(UnparsableLineException.quote("a\tb\"c")).isEqualTo("\"a\\x09b\\\"c\"");
    }

    private static void assertBad(String line, String... reasons) {
        assertThatThrownBy(
                        () ->
                                new ParseDeviceLog()
                                        .handle(
                                                event("s", line.getBytes(StandardCharsets.UTF_8)),
                                                TestContext.create()))
                .isInstanceOf(UnparsableLineException.class)
                .hasMessageStartingWith("cannot parse device log line")
                .hasMessageContainingAll(reasons);
    }
}
