package dev.flowfn.job.internal.dispatch;

import dev.flowfn.api.Event;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The handler's view of an Avro event: no Avro type leaks to user code. */
final class EventView implements Event {

    private final dev.flowfn.schemas.Event event;

    EventView(dev.flowfn.schemas.Event event) {
        this.event = event;
    }

    @Override
    public String id() {
        return event.getId();
    }

    @Override
    public String source() {
        return event.getSource();
    }

    @Override
    public String type() {
        return event.getType();
    }

    @Override
    public Optional<String> subject() {
        return Optional.ofNullable(event.getSubject());
    }

    @Override
    public Instant time() {
        return event.getTime();
    }

    @Override
    public Optional<String> dataContentType() {
        return Optional.ofNullable(event.getDatacontenttype());
    }

    @Override
    public byte[] data() {
        // a copy per call, made only when asked: a handler that reads no payload copies none
        ByteBuffer b = event.getData().duplicate();
        byte[] data = new byte[b.remaining()];
        b.get(data);
        return data;
    }

    @Override
    public Map<String, String> extensions() {
        return Map.copyOf(event.getExtensions());
    }
}
