package dev.flowfn.deploy.control;

import dev.flowfn.schemas.DeadLetter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The dead letters on {@code flowfn.dlq}, each named by its position ({@code partition:offset}).
 * {@link DlqReader} reads Kafka; tests use a list.
 *
 * <p>Threads: request threads; each call reads the topic and blocks its thread.
 */
interface DeadLetterQueue {

    /** A dead letter and its id, its position on the topic. */
    record Entry(String id, DeadLetter letter) {}

    /** The dead letters written since {@code from}, oldest first (at most {@code max}). */
    List<Entry> since(Instant from, int max);

    /**
     * The dead letter with this id, or empty when there is none.
     *
     * @throws ApiException 400 for an id that is not {@code partition:offset}
     */
    Optional<DeadLetter> at(String id);

    /** {@code partition:offset} as two numbers, or a 400 that says what an id looks like. */
    static long[] position(String id) {
        String[] parts = id == null ? new String[0] : id.split(":");
        try {
            if (parts.length == 2) {
                long partition = Integer.parseInt(parts[0]);
                long offset = Long.parseLong(parts[1]);
                if (partition >= 0 && offset >= 0) {
                    return new long[] {partition, offset};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest(
                "dead letter id '"
                        + id
                        + "' is not one the list gave out (partition:offset, e.g. 0:17)");
    }
}
