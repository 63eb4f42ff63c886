package dev.flowfn.deploy.control;

/**
 * Where function jars are kept. {@link CodeStore} (object storage) is the real one.
 *
 * <p>Threads: implementations are thread-safe (called from request threads).
 */
@FunctionalInterface
interface CodeRepository {

    /**
     * Stores the jar of {@code function} whose SHA-256 is {@code sha256} and returns its code URI.
     *
     * @throws ApiException 503 when the store cannot take it
     */
    String put(String function, String sha256, byte[] jar);
}
