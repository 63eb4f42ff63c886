package dev.flowfn.deploy.control;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web console's sign-ins: a session is a random id (32 bytes from {@link SecureRandom},
 * URL-safe base64) that the browser holds in a cookie ({@link SessionCookie}) and this server maps
 * to its expiry. A session lasts {@link #ttl()} from the sign-in, then the user types the token
 * again. Sessions live in this server's memory only: a restart, or another replica behind a load
 * balancer, asks for the token again.
 *
 * <p>Threads: request threads, concurrently; the map is a {@link ConcurrentHashMap}.
 */
final class ConsoleSessions {

    /** How long a sign-in lasts unless told otherwise. */
    static final Duration DEFAULT_TTL = Duration.ofHours(12);

    /** At most this many live sessions; the oldest expiry makes room (sign-ins need the token). */
    static final int MAX_SESSIONS = 10_000;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    ConsoleSessions(Duration ttl, Clock clock) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("session ttl must be positive (got " + ttl + ")");
        }
        this.ttl = ttl;
        this.clock = clock;
    }

    Duration ttl() {
        return ttl;
    }

    /** A new session; call only once the user proved they have the token. */
    String create() {
        Instant now = clock.instant();
        expiries.values().removeIf(expiry -> !expiry.isAfter(now));
        while (expiries.size() >= MAX_SESSIONS) {
            expiries.entrySet().stream()
                    .min(Map.Entry.comparingByValue())
                    .ifPresent(oldest -> expiries.remove(oldest.getKey()));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        expiries.put(id, now.plus(ttl));
        return id;
    }

    /** Whether {@code id} (null when the request had no cookie) is a live session. */
    boolean isValid(String id) {
        if (id == null) {
            return false;
        }
        Instant expiry = expiries.get(id);
        if (expiry == null) {
            return false;
        }
        if (!expiry.isAfter(clock.instant())) {
            expiries.remove(id, expiry);
            return false;
        }
        return true;
    }

    /** Signs out: the id no longer opens anything. */
    void end(String id) {
        if (id != null) {
            expiries.remove(id);
        }
    }

    /** Live sessions, for tests. */
    int size() {
        return expiries.size();
    }

    @Override
    public String toString() { // never the ids: each one is as good as the token
        return "ConsoleSessions[" + expiries.size() + " live, ttl " + ttl + "]";
    }
}
