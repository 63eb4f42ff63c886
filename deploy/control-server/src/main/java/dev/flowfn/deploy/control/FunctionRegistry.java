package dev.flowfn.deploy.control;

import dev.flowfn.schemas.FunctionSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The deployed functions as the request handlers see them: read, versioned, written. {@link
 * RegistryView} is the real one (the compacted {@code flowfn.functions} topic).
 *
 * <p>Threads: implementations are thread-safe; {@link #onChange} listeners run on the
 * implementation's own thread and must not block.
 */
interface FunctionRegistry {

    Optional<FunctionSpec> get(String name);

    /** The deployed functions, ordered by name. */
    List<FunctionSpec> all();

    /** The version the next deploy of {@code name} gets (monotonic, also across deletes). */
    long nextVersion(String name);

    /** Writes a spec and returns once {@link #get} shows it. */
    void put(FunctionSpec spec, Duration timeout) throws Exception;

    /** Deletes a function and returns once {@link #get} no longer shows it. */
    void delete(String name, Duration timeout) throws Exception;

    /** Runs {@code listener} after each change to the registry. */
    void onChange(Runnable listener);

    /** The function named {@code name}, or a 404 that tells the caller how to list them. */
    default FunctionSpec existing(String name) {
        return get(name)
                .orElseThrow(
                        () ->
                                ApiException.notFound(
                                        "no function named '"
                                                + name
                                                + "' is deployed; see 'flowfn list'"));
    }
}
