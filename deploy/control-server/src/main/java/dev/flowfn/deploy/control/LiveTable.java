package dev.flowfn.deploy.control;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A keyed table that its writers can read their own writes from: a write returns once the table
 * shows it. {@link KafkaTable} (a compacted Kafka topic) is the real one; tests use a map.
 *
 * <p>Threads: reads and writes from any thread once {@link #start} returned.
 */
interface LiveTable<V> extends AutoCloseable {

    /** Starts following and returns once the table is current. */
    void start(Duration timeout) throws InterruptedException;

    Optional<V> get(String key);

    /** The live values, ordered by key. */
    List<V> values();

    /** Writes a value and waits until {@code visible} holds (at most {@code timeout}). */
    void put(String key, V value, BooleanSupplier visible, Duration timeout) throws Exception;

    /** Deletes a key and waits until the table no longer has it (at most {@code timeout}). */
    void delete(String key, Duration timeout) throws Exception;

    /**
     * Throws once the table stopped following its source (it no longer changes).
     *
     * @throws IllegalStateException naming the cause
     */
    default void checkAlive() {}

    @Override
    void close() throws InterruptedException;
}
