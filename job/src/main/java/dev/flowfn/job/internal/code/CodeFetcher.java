package dev.flowfn.job.internal.code;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Brings a function's jar to local disk, by SHA-256: {@code s3://bucket/key} from the code store,
 * {@code file:/path} from a shared filesystem. A jar is used only when its hash is the one the spec
 * names. Thread-safe; called from loader threads, never the task thread.
 */
public final class CodeFetcher implements AutoCloseable {

    private final Path cacheDir;
    private final MinioClient s3;

    /**
     * @param s3 the code store client, or null when only file: URIs are used
     */
    public CodeFetcher(Path cacheDir, MinioClient s3) {
        this.cacheDir = cacheDir;
        this.s3 = s3;
    }

    /** The verified local copy of the jar. */
    public Path fetch(String codeUri, String sha256) throws CodeLoadException {
        Path cached = cacheDir.resolve(sha256 + ".jar");
        if (Files.exists(cached)) {
            return cached;
        }
        try {
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, "fetch-", ".part");
            try {
                String actual;
                try (InputStream in = open(codeUri);
                        DigestInputStream digest =
                                new DigestInputStream(in, MessageDigest.getInstance("SHA-256"));
                        OutputStream out = Files.newOutputStream(tmp)) {
                    digest.transferTo(out);
                    actual = HexFormat.of().formatHex(digest.getMessageDigest().digest());
                }
                if (!actual.equalsIgnoreCase(sha256)) {
                    throw new CodeLoadException(
                            "jar at "
                                    + codeUri
                                    + " has SHA-256 "
                                    + actual
                                    + " but the function spec says "
                                    + sha256
                                    + "; the code was changed after deploy: deploy the function again");
                }
                Files.move(
                        tmp,
                        cached,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                return cached;
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new CodeLoadException("could not fetch " + codeUri + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private InputStream open(String codeUri) throws IOException, CodeLoadException {
        URI uri = URI.create(codeUri);
        switch (String.valueOf(uri.getScheme())) {
            case "file":
                return Files.newInputStream(Path.of(uri));
            case "s3":
                if (s3 == null) {
                    throw new CodeLoadException(
                            "code URI "
                                    + codeUri
                                    + " needs the code store, but flowfn.s3.endpoint is not set");
                }
                try {
                    return s3.getObject(
                            GetObjectArgs.builder()
                                    .bucket(uri.getHost())
                                    .object(uri.getPath().substring(1))
                                    .build());
                } catch (Exception e) {
                    throw new CodeLoadException(
                            "could not read " + codeUri + " from the code store: " + e.getMessage(),
                            e);
                }
            default:
                throw new CodeLoadException("code URI " + codeUri + " is neither s3:// nor file:");
        }
    }

    @Override
    public void close() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }
}
