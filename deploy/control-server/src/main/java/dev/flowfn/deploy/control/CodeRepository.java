package dev.flowfn.deploy.control;

/**
 * Where function jars are kept. {@link CodeStore} (object storage) is the real one.
 *
 * <p>Threads: implementations are thread-safe (called from request threads).
 */
interface CodeRepository {

    /**
     * Stores the jar of {@code function} whose SHA-256 is {@code sha256} and returns its code URI.
     *
     * @throws ApiException 503 when the store cannot take it
     */
    String put(String function, String sha256, byte[] jar);

    /**
     * Deletes the jar of {@code function} whose SHA-256 is {@code sha256}, once no kept version
     * uses it. A jar that cannot be deleted now is logged and left: it costs storage, nothing else.
     */
    void delete(String function, String sha256);
}
