package dev.flowfn.bench.infra;

import java.time.Instant;

/** Epoch microseconds from the same clock the job's handlers use ({@link Instant#now()}). */
public final class Clock {

    public static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Clock() {}
}
