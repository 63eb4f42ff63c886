package dev.flowfn.deploy.control;

import dev.flowfn.schemas.FunctionKey;
import dev.flowfn.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Invocation keys for HTTP triggers with {@code auth=key}, on the compacted {@code flowfn.keys}
 * topic. A key reads {@code ffk_<id>_<secret>}; only the SHA-256 of the whole key is stored, so the
 * topic never holds a usable key. Thread-safe.
 */
public final class FunctionKeys implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CompactedTopicView<FunctionKey> view;

    /** A key as created: the secret is shown once and never again. */
    public record Created(String keyId, String key) {
        @Override
        public String toString() {
            return "Created{" + keyId + "}";
        }
    }

    public FunctionKeys(String bootstrap) {
        view = new CompactedTopicView<>(bootstrap, Topics.KEYS, FunctionKey.class, k -> {});
    }

    public FunctionKeys start(Duration timeout) throws InterruptedException {
        view.start(timeout);
        return this;
    }

    public Created create(String function) throws Exception {
        String id = hex(8);
        String key = "ffk_" + id + "_" + hex(24);
        FunctionKey record =
                FunctionKey.newBuilder()
                        .setKeyId(id)
                        .setFunction(function)
                        .setSha256(sha256(key))
                        .setCreatedAt(Instant.now())
                        .build();
        view.put(id, record, () -> view.get(id).isPresent(), Duration.ofSeconds(30));
        return new Created(id, key);
    }

    public List<FunctionKey> list(String function) {
        return view.values().stream().filter(k -> k.getFunction().equals(function)).toList();
    }

    public Optional<FunctionKey> get(String keyId) {
        return view.get(keyId);
    }

    public void revoke(String keyId) throws Exception {
        view.delete(keyId, Duration.ofSeconds(30));
    }

    /** Whether {@code presented} is a live key of {@code function}. Constant time in the secret. */
    public boolean verify(String function, String presented) {
        if (presented == null || !presented.startsWith("ffk_")) {
            return false;
        }
        int end = presented.indexOf('_', 4);
        if (end < 0) {
            return false;
        }
        Optional<FunctionKey> key = view.get(presented.substring(4, end));
        return key.isPresent()
                && key.get().getFunction().equals(function)
                && MessageDigest.isEqual(
                        key.get().getSha256().getBytes(StandardCharsets.US_ASCII),
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
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        view.close();
    }
}
