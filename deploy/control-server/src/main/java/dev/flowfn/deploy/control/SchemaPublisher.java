package dev.flowfn.deploy.control;

import java.util.Collection;
import org.apache.avro.Schema;

/**
 * Publishes the Avro schemas a function ships, so its records can be decoded by any consumer. The
 * real one is {@link dev.flowfn.kafka.SchemaTopic#publish} ({@code flowfn.schemas}).
 *
 * <p>Threads: called from request threads; blocks until the schemas are acknowledged.
 */
@FunctionalInterface
interface SchemaPublisher {

    /**
     * Publishes {@code schemas} (publishing one again is harmless).
     *
     * @throws IllegalStateException when they were not acknowledged; the message says why
     */
    void publish(Collection<Schema> schemas);
}
