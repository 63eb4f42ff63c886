package dev.flowfn.connectors.timer;

import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.JsonText;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * The {@code timer.tick} event of one scheduled instant, in the shape of CONTRACTS.md: its id is
 * the tick's identity (function, trigger, scheduled time), so a tick sent twice is recognisably the
 * same tick and the job drops the repeat.
 */
public final class TickEvents {

    public static final String TYPE = "timer.tick";
    public static final String SOURCE = "flowfn://timer";
    public static final String EXT_FUNCTION = "flowfntimer";
    public static final String EXT_TRIGGER = "timertrigger";

    private TickEvents() {}

    /** The first 12 hex digits of SHA-256 of the trigger's text: its stable short name. */
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

    public static String id(String function, String triggerText, Instant scheduled) {
        return "timer:"
                + function
                + "/"
                + triggerHash(triggerText)
                + "/"
                + scheduled.toEpochMilli();
    }

    public static Event tick(
            String function,
            String triggerText,
            String expr,
            String tz,
            Instant scheduled,
            Instant firedAt) {
        String json =
                "{\"scheduledTime\":"
                        + quote(scheduled.toString())
                        + ",\"firedAt\":"
                        + quote(firedAt.toString())
                        + ",\"expr\":"
                        + quote(expr)
                        + ",\"tz\":"
                        + quote(tz)
                        + ",\"trigger\":"
                        + quote(triggerText)
                        + "}";
        return Event.newBuilder()
                .setId(id(function, triggerText, scheduled))
                .setSource(SOURCE)
                .setType(TYPE)
                .setSubject(function)
                .setTime(scheduled)
                .setDatacontenttype("application/json")
                .setData(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)))
                .setExtensions(Map.of(EXT_FUNCTION, function, EXT_TRIGGER, triggerText))
                .build();
    }

    static String quote(String s) {
        return JsonText.quote(s);
    }
}
