package dev.flowfn.connectors.mqtt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT 3.1.1 over Paho's {@code mqttv3} client, clean session off, with its state in files ({@link
 * Qos2IdPersistence}): an inbound QoS 2 message is persisted before PUBREC, handed over on PUBREL
 * and completed (PUBCOMP) only when acknowledged, so across a crash it is never lost and comes
 * again with the same event id.
 */
final class PahoV3Connection extends MqttConnection {

    private static final Logger LOG = LoggerFactory.getLogger(PahoV3Connection.class);

    private final MqttSourceConfig config;
    private final MqttAsyncClient client;
    private final Qos2IdPersistence persistence;

    PahoV3Connection(MqttSourceConfig config, Consumer<MqttMessage> messages) throws MqttException {
        this.config = config;
        String clientId = config.getString(MqttSourceConfig.CLIENT_ID);
        Path state = config.stateDir();
        this.persistence = new Qos2IdPersistence(state, clientId);
        this.client = new MqttAsyncClient(pahoUri(config), clientId, persistence);
        client.setManualAcks(true);
        client.setCallback(
                new MqttCallbackExtended() {
                    @Override
                    public void messageArrived(
                            String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) {
                        int id = m.getId();
                        int qos = m.getQos();
                        String eventId = qos == 2 ? persistence.ids().get(id) : null;
                        messages.accept(
                                new MqttMessage(
                                        topic, m.getPayload(), qos, eventId, () -> ack(id, qos)));
                    }

                    @Override
                    public void connectionLost(Throwable cause) {
                        LOG.warn(
                                "lost the connection to {}: {}", pahoUri(config), cause.toString());
                    }

                    @Override
                    public void connectComplete(boolean reconnect, String serverUri) {
                        if (reconnect) {
                            LOG.info("reconnected to {}", serverUri);
                        }
                    }

                    @Override
                    public void deliveryComplete(IMqttDeliveryToken token) {}
                });
    }

    private void ack(int id, int qos) {
        if (qos == 0) {
            return;
        }
        try {
            client.messageArrivedComplete(id, qos);
        } catch (MqttException | RuntimeException e) {
            // not connected: the broker sends it again on the next connection
            LOG.debug("could not acknowledge packet {} (QoS {}): {}", id, qos, e.toString());
        }
    }

    @Override
    void connect(Duration timeout) throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
        String user = config.getString(MqttSourceConfig.USERNAME);
        if (user != null && !user.isBlank()) {
            options.setUserName(user);
            String password = config.password();
            if (password != null) {
                options.setPassword(password.toCharArray());
            }
        }
        if (config.tls()) {
            options.setSocketFactory(TlsSockets.of(config));
        }
        client.connect(options).waitForCompletion(timeout.toMillis());
    }

    @Override
    CompletableFuture<Void> subscribe(TopicFilter filter) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            client.subscribe(
                    filter.filter(),
                    filter.qos(),
                    null,
                    listener(
                            done,
                            token -> {
                                int[] granted = token.getGrantedQos();
                                if (Arrays.stream(granted).anyMatch(q -> q >= 0x80)) {
                                    throw refused(filter.filter(), Arrays.toString(granted));
                                }
                            }));
        } catch (MqttException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    CompletableFuture<Void> unsubscribe(String filter) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            client.unsubscribe(filter, null, listener(done, token -> {}));
        } catch (MqttException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private static IMqttActionListener listener(
            CompletableFuture<Void> done, Consumer<IMqttToken> check) {
        return new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                try {
                    check.accept(token);
                    done.complete(null);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(IMqttToken token, Throwable error) {
                done.completeExceptionally(error);
            }
        };
    }

    @Override
    boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(0).waitForCompletion(5000);
            }
        } catch (MqttException | RuntimeException e) {
            LOG.debug("disconnect: {}", e.toString());
        }
        try {
            client.disconnectForcibly(0, 1000, false);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("disconnect: {}", e.toString());
        }
        try {
            client.close();
        } catch (MqttException | RuntimeException e) {
            LOG.debug("close: {}", e.toString());
        }
    }
}
