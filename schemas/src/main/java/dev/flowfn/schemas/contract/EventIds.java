package dev.flowfn.schemas.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * How event ids (and the invocation ids derived from them) are formed (CONTRACTS.md, "Event ids and
 * source identity"). An id is unique per source. Where the source gives an event a stable identity
 * (an object notification, a timer tick, an MQTT QoS 2 message) the id is built from it, the
 * producer sets {@code Event.sourceIdentity}, and the job drops a repeat of the id within its dedup
 * window. Other producers use a random UUID (or, for a Kafka record, its position).
 */
public final class EventIds {

    /** Prefix of the ids of object-storage notifications, see {@link #s3Object}. */
    public static final String S3_PREFIX = "s3:";

    /** Prefix of the ids of timer ticks, see {@link #timerTick}. */
    public static final String TIMER_PREFIX = "timer:";

    /** Prefix of the ids of MQTT QoS 2 messages, see {@link #mqttQos2}. */
    public static final String MQTT_QOS2_PREFIX = "mqtt-qos2:";

    /**
     * {@code s3:<bucket>/<key>@<identity>:<eventName>}, identity being the change's sequencer, else
     * its version id, else its eTag, else its time in epoch milliseconds: the same change reported
     * twice (a redelivered notification, or by two notification targets) gets the same id.
     */
    public static String s3Object(String bucket, String key, String identity, String eventName) {
        return S3_PREFIX + bucket + "/" + key + "@" + identity + ":" + eventName;
    }

    /**
     * {@code timer:<function>/<triggerHash>/<scheduled epoch millis>}: the identity of one
     * scheduled instant of one cron trigger of one function, see {@link #triggerHash}.
     */
    public static String timerTick(String function, String triggerText, Instant scheduled) {
        return TIMER_PREFIX
                + function
                + "/"
                + triggerHash(triggerText)
                + "/"
                + scheduled.toEpochMilli();
    }

    /** The first 12 hex digits of SHA-256 of a trigger's text (UTF-8): its stable short name. */
    public static String triggerHash(String triggerText) {
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256")
                            .digest(triggerText.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * {@code mqtt-qos2:<clientId>:<epoch>:<seq>}: the id the MQTT connector gives a QoS 2 message
     * before it acknowledges the message's receipt, and keeps (on disk) until the exchange is
     * complete, so a redelivery after a crash carries it again. {@code epoch} is random per opening
     * of the client's store and {@code seq} counts up within it, so ids never repeat.
     */
    public static String mqttQos2(String clientId, String epoch, long seq) {
        return MQTT_QOS2_PREFIX + clientId + ":" + epoch + ":" + seq;
    }

    /** {@code <topic>/<partition>/<offset>}: a record of a user's topic, stable across re-reads. */
    public static String kafkaRecord(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    /**
     * {@code <invocationId>/emit/<index>}: the index-th event an invocation emitted; the same on a
     * retry of the invocation after a restore.
     */
    public static String emitted(String invocationId, int index) {
        return invocationId + "/emit/" + index;
    }

    /**
     * {@code <eventId>/<function>}: the invocation of {@code function} that an event triggered. A
     * direct invocation (extension {@link EventExtensions#TARGET}) uses the event id itself.
     */
    public static String invocation(String eventId, String function) {
        return eventId + "/" + function;
    }

    /**
     * The rule that decided source identity before {@code Event.sourceIdentity} existed: type
     * {@code s3:*} or {@code timer.tick}, or an {@code mqtt-qos2:} id. Records written before the
     * field decode with it false; the job still applies this rule to them, so upgrading drops their
     * repeats as before.
     */
    public static boolean hadSourceIdentityByName(String type, String id) {
        return EventTypes.isS3(type)
                || type.equals(EventTypes.TIMER_TICK)
                || id.startsWith(MQTT_QOS2_PREFIX);
    }

    private EventIds() {}
}
