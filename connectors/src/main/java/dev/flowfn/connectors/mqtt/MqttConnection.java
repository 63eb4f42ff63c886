package dev.flowfn.connectors.mqtt;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A persistent-session MQTT client (Eclipse Paho, MQTT 3.1.1 or 5) with manual acknowledgements: a
 * message is acknowledged only when {@link MqttMessage#ack()} is called. Reconnects on its own; the
 * broker keeps the session (subscriptions, queued and unacknowledged messages) meanwhile.
 *
 * <p>Threads: messages are handed to the consumer on the client's callback thread, which may block
 * there (back pressure): Paho reads, sends (acknowledgements included) and calls back on three
 * different threads, so a blocked callback stops reading but never holds back an acknowledgement.
 * The other methods may be called from any thread; futures complete on the callback thread.
 */
abstract class MqttConnection implements AutoCloseable {

    /** Connects, waiting at most {@code timeout}; throws if it cannot. */
    abstract void connect(Duration timeout) throws Exception;

    abstract CompletableFuture<Void> subscribe(TopicFilter filter);

    abstract CompletableFuture<Void> unsubscribe(String filter);

    abstract boolean isConnected();

    /**
     * Disconnects (unacknowledged messages stay with the broker's session) and frees the client.
     */
    @Override
    public abstract void close();

    static MqttConnection create(MqttSourceConfig config, Consumer<MqttMessage> messages)
            throws Exception {
        return config.mqtt5()
                ? new PahoV5Connection(config, messages)
                : new PahoV3Connection(config, messages);
    }

    /** The server URI as Paho wants it: tcp:// or ssl://. */
    static String pahoUri(MqttSourceConfig config) {
        var uri = config.serverUri();
        return (config.tls() ? "ssl" : "tcp") + "://" + uri.getHost() + ":" + uri.getPort();
    }

    static IllegalStateException refused(String filter, Object codes) {
        return new IllegalStateException(
                "the broker refused the subscription to '"
                        + filter
                        + "' ("
                        + codes
                        + "); check the user's ACL on the broker");
    }
}
