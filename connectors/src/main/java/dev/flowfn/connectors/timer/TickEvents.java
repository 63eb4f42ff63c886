package dev.flowfn.connectors.timer;

import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.JsonText;
import dev.flowfn.schemas.contract.EventExtensions;
import dev.flowfn.schemas.contract.EventIds;
import dev.flowfn.schemas.contract.EventSources;
import dev.flowfn.schemas.contract.EventTypes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * The {@code timer.tick} event of one scheduled instant, in the shape of CONTRACTS.md ("Event
 * types", "Event ids and source identity"): its id is the tick's identity (function, trigger,
 * scheduled time, {@link EventIds#timerTick}) and it says so ({@code sourceIdentity}), so a tick
 * sent twice is recognisably the same tick and the job drops the repeat.
 */
public final class TickEvents {

    private TickEvents() {}

    /** The tick of {@code function}'s cron trigger {@code triggerText} at {@code scheduled}. */
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
                .setId(EventIds.timerTick(function, triggerText, scheduled))
                .setSource(EventSources.TIMER)
                .setType(EventTypes.TIMER_TICK)
                .setSubject(function)
                .setTime(scheduled)
                .setDatacontenttype("application/json")
                .setData(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)))
                .setExtensions(
                        Map.of(
                                EventExtensions.TIMER_FUNCTION,
                                function,
                                EventExtensions.TIMER_TRIGGER,
                                triggerText))
                .setSourceIdentity(true)
                .build();
    }

    static String quote(String s) {
        return JsonText.quote(s);
    }
}
