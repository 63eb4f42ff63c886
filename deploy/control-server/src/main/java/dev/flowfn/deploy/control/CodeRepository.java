package dev.flowfn.deploy.control;

/**
 * Where function code is kept: jars ({@code java}, {@code java-embedded}) and zip archives ({@code
 * nodejs}, {@code python}). {@link CodeStore} (object storage) is the real one.
 *
 * <p>Threads: implementations are thread-safe (called from request threads).
 */
interface CodeRepository {

    /** The file name extension of a jar. */
    String JAR = "jar";

    /** The file name extension of a code archive. */
    String ZIP = "zip";

    /**
     * Stores the code of {@code function} whose SHA-256 is {@code sha256}, a file of type {@code
     * extension} ({@link #JAR} or {@link #ZIP}), and returns its code URI.
     *
     * @throws ApiException 503 when the store cannot take it
     */
    String put(String function, String sha256, String extension, byte[] code);

    /**
     * Deletes the code at {@code codeUri} (as {@link #put} returned it for {@code function}), once
     * no kept version uses it. A URI this repository did not write (an {@code http} function's URL)
     * is left alone; code that cannot be deleted now is logged and left: it costs storage, nothing
     * else.
     */
    void delete(String function, String codeUri);
}
