package dev.flowfn.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.eclipse.paho.client.mqttv3.internal.MqttPersistentData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persistence as Paho's ClientState drives it for inbound QoS 2 (key r-packetId). */
class Qos2IdPersistenceTest {

    @TempDir Path dir;

    @Test
    void aHeldMessageKeepsItsIdAcrossARestart() throws Exception {
        Qos2IdPersistence before = open();
        before.put("r-7", data("r-7")); // PUBLISH received, before PUBREC
        String id = before.ids().get(7);
        assertThat(id).startsWith("mqtt-qos2:client:");
        before.close(); // the crash: no remove, PUBCOMP never went out

        Qos2IdPersistence after = open();
        assertThat(after.ids().get(7)).isEqualTo(id);
        after.put("r-8", data("r-8"));
        assertThat(after.ids().get(8)).isNotEqualTo(id).startsWith("mqtt-qos2:client:");
    }

    @Test
    void aCompletedMessagesPacketIdGetsANewIdWhenReused() throws Exception {
        Qos2IdPersistence p = open();
        p.put("r-7", data("r-7"));
        String first = p.ids().get(7);
        p.remove("r-7"); // messageArrivedComplete: before PUBCOMP
        assertThat(p.ids().get(7)).isNull();
        p.put("r-7", data("r-7")); // the broker reuses the packet id for another message
        assertThat(p.ids().get(7)).isNotNull().isNotEqualTo(first);
    }

    @Test
    void anIdWhoseMessagePahoNoLongerHoldsIsDroppedAtStart() throws Exception {
        Qos2IdPersistence before = open();
        before.put("r-7", data("r-7"));
        before.remove("r-7"); // Paho's file gone, then ours; simulate a crash in between:
        before.close();
        java.nio.file.Files.writeString(dir.resolve("qos2-event-ids").resolve("7"), "stale");

        assertThat(open().ids().get(7)).isNull();
    }

    @Test
    void otherKeysAreLeftToPaho() throws Exception {
        Qos2IdPersistence p = open();
        p.put("s-3", data("s-3"));
        assertThat(p.ids().size()).isZero();
        assertThat(p.containsKey("s-3")).isTrue();
    }

    private Qos2IdPersistence open() throws Exception {
        Qos2IdPersistence p = new Qos2IdPersistence(dir, "client");
        p.open("client", "tcp://127.0.0.1:1883");
        return p;
    }

    private static MqttPersistentData data(String key) {
        byte[] header = {0x32, 0x05};
        byte[] payload = {1, 2, 3};
        return new MqttPersistentData(key, header, 0, header.length, payload, 0, payload.length);
    }
}
