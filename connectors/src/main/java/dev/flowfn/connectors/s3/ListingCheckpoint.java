package dev.flowfn.connectors.s3;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * What a pulled S3 source has emitted, as a Connect source offset: the newest modification time
 * seen (the watermark, in the store's own clock) and a fingerprint of every (key, eTag,
 * lastModified) whose modification time lies within {@code lookback} of it.
 *
 * <p>An object version is <em>new</em> if it is modified within the lookback and its fingerprint is
 * not remembered. Older ones count as seen: an object that becomes visible more than the lookback
 * after its modification time (an upload slower than the lookback) is missed. A version seen once
 * is never new again, so a restart from a committed offset repeats nothing that offset covers;
 * records after the last committed offset are emitted again, with the same event ids.
 *
 * <p>Not thread-safe: owned by one task thread.
 */
final class ListingCheckpoint {

    static final String WATERMARK = "watermark";
    static final String SEEN = "seen";

    private final long lookbackMs;
    private final Map<String, Long> seen; // fingerprint -> lastModified millis
    private long watermark;
    private boolean started;

    private ListingCheckpoint(
            long lookbackMs, Map<String, Long> seen, long watermark, boolean started) {
        this.lookbackMs = lookbackMs;
        this.seen = seen;
        this.watermark = watermark;
        this.started = started;
    }

    static ListingCheckpoint empty(long lookbackMs) {
        return new ListingCheckpoint(lookbackMs, new HashMap<>(), Long.MIN_VALUE, false);
    }

    /**
     * Restores a checkpoint from the offset a task committed ({@code null}: none yet).
     *
     * @throws IllegalArgumentException if the offset is not one this class wrote
     */
    static ListingCheckpoint fromOffset(Map<String, ?> offset, long lookbackMs) {
        if (offset == null) {
            return empty(lookbackMs);
        }
        Object w = offset.get(WATERMARK);
        Object s = offset.get(SEEN);
        if (!(w instanceof Number) || !(s instanceof String)) {
            throw new IllegalArgumentException(
                    "stored offset is not an S3 listing checkpoint (expected 'watermark' and"
                            + " 'seen'): delete this connector's offsets or rename it");
        }
        Map<String, Long> seen = new HashMap<>();
        String text = (String) s;
        if (!text.isEmpty()) {
            for (String entry : text.split(",")) {
                int at = entry.indexOf('@');
                if (at <= 0) {
                    throw new IllegalArgumentException(
                            "stored offset has a malformed 'seen' entry: delete this connector's"
                                    + " offsets or rename it");
                }
                seen.put(entry.substring(0, at), Long.parseLong(entry.substring(at + 1), 36));
            }
        }
        return new ListingCheckpoint(lookbackMs, seen, ((Number) w).longValue(), true);
    }

    /** False until anything was recorded or restored: the very first start. */
    boolean started() {
        return started;
    }

    long watermark() {
        return watermark;
    }

    int remembered() {
        return seen.size();
    }

    boolean isNew(String key, String eTag, long lastModifiedMs) {
        if (started && lastModifiedMs < watermark - lookbackMs) {
            return false;
        }
        return !seen.containsKey(fingerprint(key, eTag, lastModifiedMs));
    }

    /** Remembers a version (emitted or, on a first start, only seen) and forgets old ones. */
    void record(String key, String eTag, long lastModifiedMs) {
        started = true;
        seen.put(fingerprint(key, eTag, lastModifiedMs), lastModifiedMs);
        if (lastModifiedMs > watermark) {
            watermark = lastModifiedMs;
            long oldest = watermark - lookbackMs;
            seen.values().removeIf(modified -> modified < oldest);
        }
    }

    /** Marks a first start done even if the bucket was empty. */
    void markStarted() {
        started = true;
        if (watermark == Long.MIN_VALUE) {
            watermark = 0;
        }
    }

    Map<String, Object> toOffset() {
        StringBuilder b = new StringBuilder(seen.size() * 26);
        seen.forEach(
                (fp, modified) -> {
                    if (b.length() > 0) {
                        b.append(',');
                    }
                    b.append(fp).append('@').append(Long.toString(modified, 36));
                });
        Map<String, Object> offset = new HashMap<>();
        offset.put(WATERMARK, watermark == Long.MIN_VALUE ? 0L : watermark);
        offset.put(SEEN, b.toString());
        return offset;
    }

    /** 64 bits of SHA-256 over (key, eTag, lastModified): 16 hex characters. */
    static String fingerprint(String key, String eTag, long lastModifiedMs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(key.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update((eTag == null ? "" : eTag).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Long.toString(lastModifiedMs).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
