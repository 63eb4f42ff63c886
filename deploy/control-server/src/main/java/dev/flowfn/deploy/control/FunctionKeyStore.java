package dev.flowfn.deploy.control;

import dev.flowfn.schemas.FunctionKey;
import java.util.List;
import java.util.Optional;

/**
 * Invocation keys of HTTP triggers with {@code auth=key}. {@link FunctionKeys} ({@code
 * flowfn.keys}) is the real one.
 *
 * <p>Threads: implementations are thread-safe (request threads of the API and the gateway).
 */
interface FunctionKeyStore {

    /** A key as created: the secret is shown once and never again. */
    record Created(String keyId, String key) {
        @Override
        public String toString() {
            return "Created{" + keyId + "}";
        }
    }

    /** Creates a key for {@code function} and returns once it can be verified. */
    Created create(String function) throws Exception;

    /** The keys of {@code function} (without secrets). */
    List<FunctionKey> list(String function);

    Optional<FunctionKey> get(String keyId);

    /** Revokes a key and returns once it no longer verifies. */
    void revoke(String keyId) throws Exception;

    /** Whether {@code presented} is a live key of {@code function}. Null is never one. */
    boolean verify(String function, String presented);
}
