package dev.flowfn.deploy.local;

import dev.flowfn.deploy.control.ControlSettings;
import dev.flowfn.deploy.local.engines.S3Credentials;
import dev.flowfn.deploy.local.engines.S3StoreProcess;
import java.util.Set;

/**
 * The platform's object store: S3Proxy in a child JVM, which sends MinIO-format bucket
 * notifications to the gateway's webhook, or the external S3 API given with {@code --s3-endpoint},
 * which is never stopped here.
 */
final class LocalObjectStore implements AutoCloseable {

    private final String endpoint;
    private final S3Credentials credentials;
    private final S3StoreProcess store; // null when external

    private LocalObjectStore(String endpoint, S3Credentials credentials, S3StoreProcess store) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.store = store;
    }

    /**
     * Starts the local store (or names the external one). Notifications go to {@code webhook}; the
     * store's durable queue holds them until the gateway listens.
     */
    static LocalObjectStore start(LocalSettings settings, Webhook webhook) throws Exception {
        if (settings.externalS3Endpoint() != null) {
            return new LocalObjectStore(
                    settings.externalS3Endpoint(),
                    new S3Credentials(
                            settings.externalS3AccessKey(), settings.externalS3SecretKey()),
                    null);
        }
        DataDir dir = settings.dataDir();
        S3Credentials credentials = S3Credentials.loadOrCreate(dir.s3Credentials());
        S3StoreProcess store =
                S3StoreProcess.start(
                        dir.s3(),
                        credentials,
                        dir.logs().resolve("s3.log"),
                        new S3StoreProcess.Notifications(
                                webhook.url(),
                                webhook.token(),
                                Set.of(ControlSettings.DEFAULT_CODE_BUCKET)));
        return new LocalObjectStore(store.endpoint(), credentials, store);
    }

    String endpoint() {
        return endpoint;
    }

    S3Credentials credentials() {
        return credentials;
    }

    /** Whether this is the store flowfn local runs (its secret is in the data folder). */
    boolean isLocal() {
        return store != null;
    }

    /** What the start-up report says. */
    String describe() {
        return store == null ? "external, " + endpoint : endpoint;
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }

    /** Where the gateway receives bucket notifications, and the token the sender must present. */
    record Webhook(String url, String token) {
        @Override
        public String toString() {
            return "Webhook[url=" + url + ", token=(hidden)]";
        }
    }
}
