package dev.flowfn.connectors.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS socket factory of an {@code ssl://} broker: the configured trust store (else the JVM's
 * CAs) and, for brokers that want a client certificate, the key store. Errors name the store, never
 * a password.
 */
final class TlsSockets {

    private TlsSockets() {}

    static SSLSocketFactory of(MqttSourceConfig config) {
        try {
            TrustManager[] trust = null;
            String trustPath = config.getString(MqttSourceConfig.TRUSTSTORE_PATH);
            if (trustPath != null && !trustPath.isBlank()) {
                KeyStore store =
                        load(
                                trustPath,
                                secret(config, MqttSourceConfig.TRUSTSTORE_PASSWORD),
                                MqttSourceConfig.TRUSTSTORE_PATH);
                TrustManagerFactory tmf =
                        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                trust = tmf.getTrustManagers();
            }
            KeyManager[] keys = null;
            String keyPath = config.getString(MqttSourceConfig.KEYSTORE_PATH);
            if (keyPath != null && !keyPath.isBlank()) {
                char[] password = secret(config, MqttSourceConfig.KEYSTORE_PASSWORD);
                KeyStore store = load(keyPath, password, MqttSourceConfig.KEYSTORE_PATH);
                KeyManagerFactory kmf =
                        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, password);
                keys = kmf.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the TLS stores: " + e.getMessage(), e);
        }
    }

    private static char[] secret(MqttSourceConfig config, String key) {
        var p = config.getPassword(key);
        return p == null ? new char[0] : p.value().toCharArray();
    }

    private static KeyStore load(String path, char[] password, String setting)
            throws GeneralSecurityException {
        String type = path.endsWith(".jks") ? "JKS" : "PKCS12";
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password);
            return store;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    setting
                            + "="
                            + path
                            + " cannot be read as "
                            + type
                            + " ("
                            + e.getMessage()
                            + "); check the path and its password",
                    e);
        }
    }
}
