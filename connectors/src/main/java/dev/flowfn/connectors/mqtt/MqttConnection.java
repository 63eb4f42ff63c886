package dev.flowfn.connectors.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A persistent-session MQTT client (HiveMQ client, MQTT 3.1.1 or 5) with manual acknowledgements: a
 * message is acknowledged only when {@link MqttMessage#ack()} is called. Reconnects on its own; the
 * broker keeps the session (subscriptions, queued and unacknowledged messages) meanwhile.
 *
 * <p>Threads: messages are handed to the consumer on the client's I/O threads; the other methods
 * may be called from any thread and return futures completed on those threads.
 */
abstract class MqttConnection {

    abstract CompletableFuture<Void> connect();

    abstract CompletableFuture<Void> subscribe(TopicFilter filter);

    abstract CompletableFuture<Void> unsubscribe(String filter);

    abstract CompletableFuture<Void> disconnect();

    static MqttConnection create(MqttSourceConfig config, Consumer<MqttMessage> messages) {
        return config.mqtt5() ? new V5(config, messages) : new V3(config, messages);
    }

    private static MqttQos qos(int qos) {
        return MqttQos.fromCode(qos);
    }

    /** TLS settings from the config, or null for plain TCP. */
    static MqttClientSslConfig ssl(MqttSourceConfig config) {
        if (!config.tls()) {
            return null;
        }
        MqttClientSslConfigBuilder builder = MqttClientSslConfig.builder();
        try {
            String trust = config.getString(MqttSourceConfig.TRUSTSTORE_PATH);
            if (trust != null && !trust.isBlank()) {
                KeyStore store =
                        load(
                                trust,
                                secret(config, MqttSourceConfig.TRUSTSTORE_PASSWORD),
                                MqttSourceConfig.TRUSTSTORE_PATH);
                TrustManagerFactory tmf =
                        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                builder.trustManagerFactory(tmf);
            }
            String keys = config.getString(MqttSourceConfig.KEYSTORE_PATH);
            if (keys != null && !keys.isBlank()) {
                char[] password = secret(config, MqttSourceConfig.KEYSTORE_PASSWORD);
                KeyStore store = load(keys, password, MqttSourceConfig.KEYSTORE_PATH);
                KeyManagerFactory kmf =
                        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, password);
                builder.keyManagerFactory(kmf);
            }
        } catch (GeneralSecurityException e) {
            // the message names the store, never a password
            throw new IllegalArgumentException("cannot use the TLS stores: " + e.getMessage(), e);
        }
        return builder.build();
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

    private static final class V3 extends MqttConnection {
        private final Mqtt3AsyncClient client;
        private final MqttSourceConfig config;

        V3(MqttSourceConfig config, Consumer<MqttMessage> messages) {
            this.config = config;
            URI uri = config.serverUri();
            Mqtt3ClientBuilder builder =
                    MqttClient.builder()
                            .useMqttVersion3()
                            .identifier(config.getString(MqttSourceConfig.CLIENT_ID))
                            .serverHost(uri.getHost())
                            .serverPort(uri.getPort())
                            .automaticReconnectWithDefaultConfig();
            MqttClientSslConfig ssl = ssl(config);
            if (ssl != null) {
                builder = builder.sslConfig(ssl);
            }
            this.client = builder.buildAsync();
            // registered before connecting: the session's queued messages arrive right after
            client.publishes(
                    MqttGlobalPublishFilter.ALL,
                    p ->
                            messages.accept(
                                    new MqttMessage(
                                            p.getTopic().toString(),
                                            p.getPayloadAsBytes(),
                                            p.getQos().getCode(),
                                            p::acknowledge)),
                    true);
        }

        @Override
        CompletableFuture<Void> connect() {
            var connect = client.connectWith().cleanSession(false);
            String user = config.getString(MqttSourceConfig.USERNAME);
            if (user != null && !user.isBlank()) {
                var auth = connect.simpleAuth().username(user);
                String password = config.password();
                if (password != null) {
                    auth = auth.password(password.getBytes(StandardCharsets.UTF_8));
                }
                return auth.applySimpleAuth().send().thenApply(ack -> null);
            }
            return connect.send().thenApply(ack -> null);
        }

        @Override
        CompletableFuture<Void> subscribe(TopicFilter filter) {
            return client.subscribeWith()
                    .topicFilter(filter.filter())
                    .qos(qos(filter.qos()))
                    .send()
                    .thenApply(
                            ack -> {
                                if (ack.getReturnCodes().stream().anyMatch(c -> c.isError())) {
                                    throw new IllegalStateException(
                                            "the broker refused the subscription to '"
                                                    + filter.filter()
                                                    + "' ("
                                                    + ack.getReturnCodes()
                                                    + "); check the user's ACL on the broker");
                                }
                                return null;
                            });
        }

        @Override
        CompletableFuture<Void> unsubscribe(String filter) {
            return client.unsubscribeWith().topicFilter(filter).send();
        }

        @Override
        CompletableFuture<Void> disconnect() {
            return client.disconnect();
        }
    }

    private static final class V5 extends MqttConnection {
        private final Mqtt5AsyncClient client;
        private final MqttSourceConfig config;

        V5(MqttSourceConfig config, Consumer<MqttMessage> messages) {
            this.config = config;
            URI uri = config.serverUri();
            Mqtt5ClientBuilder builder =
                    MqttClient.builder()
                            .useMqttVersion5()
                            .identifier(config.getString(MqttSourceConfig.CLIENT_ID))
                            .serverHost(uri.getHost())
                            .serverPort(uri.getPort())
                            .automaticReconnectWithDefaultConfig();
            MqttClientSslConfig ssl = ssl(config);
            if (ssl != null) {
                builder = builder.sslConfig(ssl);
            }
            this.client = builder.buildAsync();
            client.publishes(
                    MqttGlobalPublishFilter.ALL,
                    p ->
                            messages.accept(
                                    new MqttMessage(
                                            p.getTopic().toString(),
                                            p.getPayloadAsBytes(),
                                            p.getQos().getCode(),
                                            p::acknowledge)),
                    true);
        }

        @Override
        CompletableFuture<Void> connect() {
            var connect =
                    client.connectWith()
                            .cleanStart(false)
                            .sessionExpiryInterval(config.getLong(MqttSourceConfig.SESSION_EXPIRY))
                            .restrictions()
                            .receiveMaximum(config.getInt(MqttSourceConfig.RECEIVE_MAXIMUM))
                            .applyRestrictions();
            String user = config.getString(MqttSourceConfig.USERNAME);
            if (user != null && !user.isBlank()) {
                var auth = connect.simpleAuth().username(user);
                String password = config.password();
                if (password != null) {
                    auth = auth.password(password.getBytes(StandardCharsets.UTF_8));
                }
                return auth.applySimpleAuth().send().thenApply(ack -> null);
            }
            return connect.send().thenApply(ack -> null);
        }

        @Override
        CompletableFuture<Void> subscribe(TopicFilter filter) {
            return client.subscribeWith()
                    .topicFilter(filter.filter())
                    .qos(qos(filter.qos()))
                    .send()
                    .thenApply(
                            ack -> {
                                for (Mqtt5SubAckReasonCode code : ack.getReasonCodes()) {
                                    if (code.isError()) {
                                        throw new IllegalStateException(
                                                "the broker refused the subscription to '"
                                                        + filter.filter()
                                                        + "' ("
                                                        + code
                                                        + "); check the user's ACL on the broker");
                                    }
                                }
                                return null;
                            });
        }

        @Override
        CompletableFuture<Void> unsubscribe(String filter) {
            return client.unsubscribeWith().topicFilter(filter).send().thenApply(ack -> null);
        }

        @Override
        CompletableFuture<Void> disconnect() {
            return client.disconnect();
        }
    }
}
