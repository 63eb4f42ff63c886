package dev.flowfn.api;

/**
 * A function. Implement this interface in a public class with a public no-arg constructor.
 *
 * <p>The platform creates one instance per deployed version and may call {@link #handle} from
 * several threads at once (up to the function's concurrency limit), so keep instance state
 * immutable or thread-safe, like a servlet.
 *
 * <p>Throwing fails the attempt; the platform retries per the function's retry policy and then
 * sends the event to the dead-letter topic with the exception's message.
 */
@FunctionalInterface
public interface Handler {

    /**
     * Handles one event.
     *
     * @return the result (never null: return {@link Result#empty()} when there is nothing)
     */
    Result handle(Event event, Context context) throws Exception;
}
