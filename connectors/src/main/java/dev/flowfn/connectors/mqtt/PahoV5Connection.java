package dev.flowfn.connectors.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT 5 over Paho's {@code mqttv5} client: clean start off, a session expiry, a receive maximum,
 * manual acknowledgements.
 *
 * <p>Subscriptions are at most QoS 1. Paho 1.2.5's MQTT 5 client sends PUBREC for a QoS 2 message
 * as soon as it has handed it to the application, and PUBCOMP on PUBREL, whatever the manual acks
 * (its {@code ClientState.notifyReceivedMsg} and {@code handleInboundPubRel}): a QoS 2 message
 * would be complete at the broker before Kafka has it, and lost in a crash. At QoS 1 it is
 * acknowledged after Kafka (at least once); the broker downgrades QoS 2 publications to it.
 */
final class PahoV5Connection extends MqttConnection {

    private static final Logger LOG = LoggerFactory.getLogger(PahoV5Connection.class);
    static final int MAX_QOS = 1;

    private final MqttSourceConfig config;
    private final MqttAsyncClient client;

    PahoV5Connection(MqttSourceConfig config, Consumer<MqttMessage> messages) throws MqttException {
        this.config = config;
        // inbound QoS 1 state lives in the broker's session; nothing to keep here
        this.client =
                new MqttAsyncClient(
                        pahoUri(config),
                        config.getString(MqttSourceConfig.CLIENT_ID),
                        new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(
                new MqttCallback() {
                    @Override
                    public void messageArrived(
                            String topic, org.eclipse.paho.mqttv5.common.MqttMessage m) {
                        int id = m.getId();
                        int qos = m.getQos();
                        messages.accept(
                                new MqttMessage(
                                        topic, m.getPayload(), qos, null, () -> ack(id, qos)));
                    }

                    @Override
                    public void disconnected(MqttDisconnectResponse response) {
                        LOG.warn(
                                "disconnected from {}: {} {}",
                                pahoUri(config),
                                response.getReturnCode(),
                                response.getReasonString());
                    }

                    @Override
                    public void mqttErrorOccurred(MqttException e) {
                        LOG.warn("MQTT error from {}: {}", pahoUri(config), e.toString());
                    }

                    @Override
                    public void deliveryComplete(IMqttToken token) {}

                    @Override
                    public void connectComplete(boolean reconnect, String serverUri) {
                        if (reconnect) {
                            LOG.info("reconnected to {}", serverUri);
                        }
                    }

                    @Override
                    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
                });
    }

    private void ack(int id, int qos) {
        if (qos == 0) {
            return;
        }
        try {
            client.messageArrivedComplete(id, qos);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("could not acknowledge packet {} (QoS {}): {}", id, qos, e.toString());
        }
    }

    @Override
    void connect(Duration timeout) throws MqttException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(config.getLong(MqttSourceConfig.SESSION_EXPIRY));
        options.setReceiveMaximum(config.getInt(MqttSourceConfig.RECEIVE_MAXIMUM));
        options.setAutomaticReconnect(true);
        options.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
        String user = config.getString(MqttSourceConfig.USERNAME);
        if (user != null && !user.isBlank()) {
            options.setUserName(user);
            String password = config.password();
            if (password != null) {
                options.setPassword(password.getBytes(StandardCharsets.UTF_8));
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
        int qos = Math.min(filter.qos(), MAX_QOS);
        if (qos < filter.qos()) {
            LOG.info(
                    "MQTT 5: subscribing to {} at QoS {} (asked {}): see PahoV5Connection",
                    filter.filter(),
                    qos,
                    filter.qos());
        }
        try {
            client.subscribe(
                    filter.filter(),
                    qos,
                    null,
                    listener(
                            done,
                            token -> {
                                int[] codes = token.getReasonCodes();
                                if (codes != null
                                        && Arrays.stream(codes).anyMatch(c -> c >= 0x80)) {
                                    throw refused(filter.filter(), Arrays.toString(codes));
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

    private static MqttActionListener listener(
            CompletableFuture<Void> done, Consumer<IMqttToken> check) {
        return new MqttActionListener() {
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
