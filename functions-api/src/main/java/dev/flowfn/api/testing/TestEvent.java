package dev.flowfn.api.testing;

import dev.flowfn.api.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An {@link Event} for unit tests of handlers.
 *
 * <pre>{@code
 * Event e = TestEvent.builder().type("kafka.record").data("\"hello\"").build();
 * }</pre>
 */
public final class TestEvent implements Event {

    private final String id;
    private final String source;
    private final String type;
    private final String subject;
    private final Instant time;
    private final String dataContentType;
    private final byte[] data;
    private final Map<String, String> extensions;

    private TestEvent(Builder b) {
        this.id = b.id;
        this.source = b.source;
        this.type = b.type;
        this.subject = b.subject;
        this.time = b.time;
        this.dataContentType = b.dataContentType;
        this.data = b.data.clone();
        this.extensions = Map.copyOf(b.extensions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An event of type {@code flowfn.invoke} carrying the given JSON text. */
    public static TestEvent json(String json) {
        return builder().data(json).dataContentType("application/json").build();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    @Override
    public Instant time() {
        return time;
    }

    @Override
    public Optional<String> dataContentType() {
        return Optional.ofNullable(dataContentType);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public Map<String, String> extensions() {
        return extensions;
    }

    /** Builds a {@link TestEvent}; every attribute has a sensible default. */
    public static final class Builder {
        private String id = UUID.randomUUID().toString();
        private String source = "test://flowfn";
        private String type = "flowfn.invoke";
        private String subject;
        private Instant time = Instant.now();
        private String dataContentType;
        private byte[] data = new byte[0];
        private final Map<String, String> extensions = new LinkedHashMap<>();

        private Builder() {}

        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        public Builder source(String source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        public Builder type(String type) {
            this.type = Objects.requireNonNull(type, "type");
            return this;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder time(Instant time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        public Builder dataContentType(String dataContentType) {
            this.dataContentType = dataContentType;
            return this;
        }

        public Builder data(byte[] data) {
            this.data = Objects.requireNonNull(data, "data").clone();
            return this;
        }

        public Builder data(String text) {
            return data(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
        }

        public Builder extension(String name, String value) {
            extensions.put(
                    Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public TestEvent build() {
            return new TestEvent(this);
        }
    }
}
