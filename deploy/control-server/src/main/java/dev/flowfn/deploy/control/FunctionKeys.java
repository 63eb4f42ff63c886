package dev.flowfn.deploy.control;

import dev.flowfn.kafka.CompactedTopicView;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.FunctionKey;
import dev.flowfn.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Invocation keys for HTTP triggers with {@code auth=key}, on the compacted {@code flowfn.keys}
 * topic. A key reads {@code ffk_<id>_<secret>}; only the SHA-256 of the whole key is stored, so the
 * topic never holds a usable key.
 *
 * <p>Threads: thread-safe once {@link #start} returned; the table's follower thread is the only one
 * it starts.
 */
public final class FunctionKeys implements FunctionKeyStore, AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "ffk_";
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final LiveTable<FunctionKey> table;
    private final Clock clock;

    /** Keys on {@code flowfn.keys} of {@code kafka}; nothing connects before {@link #start}. */
    public FunctionKeys(KafkaClientConfig kafka) {
        this(
                new KafkaTable<>(CompactedTopicView.ofAvro(kafka, Topics.KEYS, FunctionKey.class)),
                Clock.systemUTC());
    }

    FunctionKeys(LiveTable<FunctionKey> table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /** Reads the keys there are; returns once they can be verified. */
    public FunctionKeys start(Duration timeout) throws InterruptedException {
        table.start(timeout);
        return this;
    }

    @Override
    public Created create(String function) throws Exception {
        String id = hex(8);
        String key = PREFIX + id + "_" + hex(24);
        FunctionKey record =
                FunctionKey.newBuilder()
                        .setKeyId(id)
                        .setFunction(function)
                        .setSha256(sha256(key))
                        .setCreatedAt(clock.instant())
                        .build();
        table.put(id, record, () -> table.get(id).isPresent(), WRITE_TIMEOUT);
        return new Created(id, key);
    }

    @Override
    public List<FunctionKey> list(String function) {
        return table.values().stream().filter(k -> k.getFunction().equals(function)).toList();
    }

    @Override
    public Optional<FunctionKey> get(String keyId) {
        return table.get(keyId);
    }

    @Override
    public void revoke(String keyId) throws Exception {
        table.delete(keyId, WRITE_TIMEOUT);
    }

    /** Whether {@code presented} is a live key of {@code function}. Constant time in the secret. */
    @Override
    public boolean verify(String function, String presented) {
        return keyId(presented)
                .flatMap(table::get)
                .map(stored -> matches(stored, function, presented))
                .orElse(false);
    }

    /** The id part of a presented key ({@code ffk_<id>_<secret>}); empty when it is not a key. */
    static Optional<String> keyId(String presented) {
        if (presented == null || !presented.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int end = presented.indexOf('_', PREFIX.length());
        return end < 0 ? Optional.empty() : Optional.of(presented.substring(PREFIX.length(), end));
    }

    /** Whether {@code presented} is the key {@code stored} records, for {@code function}. */
    static boolean matches(FunctionKey stored, String function, String presented) {
        return stored.getFunction().equals(function)
                && MessageDigest.isEqual(
                        stored.getSha256().getBytes(StandardCharsets.US_ASCII),
                        sha256(presented).getBytes(StandardCharsets.US_ASCII));
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Throws once the follower thread died: this view no longer changes.
     *
     * @throws IllegalStateException naming the cause
     */
    public void checkAlive() {
        table.checkAlive();
    }

    @Override
    public void close() throws InterruptedException {
        table.close();
    }
}
