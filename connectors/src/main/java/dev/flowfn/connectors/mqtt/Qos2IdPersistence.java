package dev.flowfn.connectors.mqtt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Enumeration;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttPersistable;
import org.eclipse.paho.client.mqttv3.MqttPersistenceException;
import org.eclipse.paho.client.mqttv3.persist.MqttDefaultFilePersistence;

/**
 * Paho's file persistence (MQTT 3.1.1), which also keeps a stable event id per inbound QoS 2
 * message ({@link Qos2EventIds}). It relies on how Paho 1.2.5's {@code ClientState} uses the
 * persistence for inbound QoS 2 (key {@code r-<packetId>}):
 *
 * <ul>
 *   <li>on PUBLISH it {@code put}s the message, then sends PUBREC; the application gets the message
 *       only on PUBREL, from memory or, after a restart, from what {@code restoreState} read back;
 *   <li>with manual acks, {@code messageArrivedComplete} {@code remove}s it, then sends PUBCOMP.
 * </ul>
 *
 * So the id is assigned (fsynced) before the broker can release the message to us, and forgotten
 * before the packet id can be reused; a message held across a crash keeps its id.
 *
 * <p>Threads: Paho's receiver thread puts, the thread acknowledging removes.
 */
final class Qos2IdPersistence implements MqttClientPersistence {

    private static final String RECEIVED = "r-";

    private final MqttDefaultFilePersistence files;
    private final Path idsDir;
    private final String clientId;
    private volatile Qos2EventIds ids;

    Qos2IdPersistence(Path stateDir, String clientId) {
        this.files = new MqttDefaultFilePersistence(stateDir.resolve("paho").toString());
        this.idsDir = stateDir.resolve("qos2-event-ids");
        this.clientId = clientId;
    }

    /** The stable ids; set once Paho has opened the persistence (in the client's constructor). */
    Qos2EventIds ids() {
        return ids;
    }

    @Override
    public void open(String clientId, String serverUri) throws MqttPersistenceException {
        files.open(clientId, serverUri);
        // Paho opens again on every (re)connect; the ids in memory stay those of the files
        if (ids == null) {
            ids = Qos2EventIds.open(idsDir, this.clientId, this::holds);
        }
    }

    private boolean holds(int packetId) {
        try {
            return files.containsKey(RECEIVED + packetId);
        } catch (MqttPersistenceException e) {
            return false;
        }
    }

    @Override
    public void put(String key, MqttPersistable persistable) throws MqttPersistenceException {
        files.put(key, persistable);
        if (key.startsWith(RECEIVED)) {
            try {
                ids.assign(packetId(key));
            } catch (IOException e) {
                throw new MqttPersistenceException(e);
            }
        }
    }

    @Override
    public void remove(String key) throws MqttPersistenceException {
        files.remove(key);
        if (key.startsWith(RECEIVED)) {
            try {
                ids.forget(packetId(key));
            } catch (IOException e) {
                throw new MqttPersistenceException(e);
            }
        }
    }

    @Override
    public void clear() throws MqttPersistenceException {
        files.clear();
        try {
            ids.clear();
        } catch (IOException e) {
            throw new MqttPersistenceException(e);
        }
    }

    @Override
    public MqttPersistable get(String key) throws MqttPersistenceException {
        return files.get(key);
    }

    @Override
    public Enumeration keys() throws MqttPersistenceException {
        return files.keys();
    }

    @Override
    public boolean containsKey(String key) throws MqttPersistenceException {
        return files.containsKey(key);
    }

    @Override
    public void close() throws MqttPersistenceException {
        files.close();
    }

    private static int packetId(String key) {
        return Integer.parseInt(key.substring(RECEIVED.length()));
    }
}
