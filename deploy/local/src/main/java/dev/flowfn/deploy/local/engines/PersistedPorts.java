package dev.flowfn.deploy.local.engines;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The 127.0.0.1 ports of one engine or server, chosen free on its first start and kept in a
 * properties file ({@code name=port}) in its data folder, so clients configured against a local
 * platform keep working across restarts.
 *
 * <p>New ports are drawn from {@value #FIRST_PORT}-{@value #LAST_PORT}, below the ephemeral ranges
 * of Linux (32768+), macOS and Windows (49152+): a persisted port there cannot be taken later by
 * the source port of some outgoing connection. Ports loaded or chosen in this JVM are never chosen
 * again by it, so engines allocating at the same time (or one whose engine is stopped) do not
 * collide.
 *
 * <p>Immutable once loaded; used by the thread that starts the engine. Engines may be started from
 * several threads at once (each with its own file).
 */
public final class PersistedPorts {

    public static final int FIRST_PORT = 20000;
    public static final int LAST_PORT = 32000;
    private static final Random RANDOM = new SecureRandom();
    private static final Set<Integer> CLAIMED = ConcurrentHashMap.newKeySet();
    private static final int CHOOSE_AGAIN = 3;

    private static final String IN_USE =
            "%1$s port %2$d ('%3$s' in %4$s) is already in use on 127.0.0.1. Another flowfn local"
                    + " may be running on this data folder, or an engine of one that was killed is"
                    + " still alive (find it with `ss -ltnp | grep :%2$d`). Stop it, or delete %4$s"
                    + " to choose new ports.";

    private final Path file;
    private final Map<String, Integer> ports;

    /** The names whose ports were chosen by this load rather than read from the file. */
    private final Set<String> chosen;

    private PersistedPorts(Path file, Map<String, Integer> ports, Set<String> chosen) {
        this.file = file;
        this.ports = Collections.unmodifiableMap(ports);
        this.chosen = Set.copyOf(chosen);
    }

    /**
     * The ports saved in {@code file}; any of {@code names} not there yet gets a free port and is
     * saved.
     */
    public static PersistedPorts loadOrAllocate(Path file, String... names) throws IOException {
        Properties saved = load(file);
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String name : names) {
            String value = saved.getProperty(name);
            if (value != null) {
                ports.put(name, parse(file, name, value));
                CLAIMED.add(ports.get(name));
            }
        }
        Set<String> chosen = new HashSet<>();
        for (String name : names) {
            if (!ports.containsKey(name)) {
                ports.put(name, freePort());
                chosen.add(name);
            }
        }
        if (!chosen.isEmpty()) {
            save(file, saved, ports);
        }
        return new PersistedPorts(file, ports, chosen);
    }

    public int get(String name) {
        Integer port = ports.get(name);
        if (port == null) {
            throw new IllegalArgumentException("no port '" + name + "' in " + file);
        }
        return port;
    }

    /**
     * Checks that every port can be bound on 127.0.0.1 now. A port read from the file must be:
     * clients know it. One chosen by this load that some other process took since is chosen again
     * (a few times at most), and saved.
     *
     * @return these ports, or the ones that replace them
     * @throws IllegalStateException naming the port, the file and what to do
     */
    public PersistedPorts requireFree(String engine) throws IOException {
        Map<String, Integer> free = new LinkedHashMap<>(ports);
        boolean changed = false;
        for (Map.Entry<String, Integer> port : ports.entrySet()) {
            String name = port.getKey();
            int number = port.getValue();
            for (int again = 0; !canBind(number); again++) {
                if (!chosen.contains(name) || again == CHOOSE_AGAIN) {
                    throw new IllegalStateException(IN_USE.formatted(engine, number, name, file));
                }
                number = freePort();
                free.put(name, number);
                changed = true;
            }
        }
        if (!changed) {
            return this;
        }
        Properties saved = load(file);
        save(file, saved, free);
        return new PersistedPorts(file, free, chosen);
    }

    private static int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = FIRST_PORT + RANDOM.nextInt(LAST_PORT - FIRST_PORT);
            // claimed before it is probed: the probe binds the port for a moment, and a thread
            // that probed a port another had just chosen made that one's requireFree fail ("S3
            // store port ... is already in use" in CI). A port found taken stays claimed: some
            // other process holds it, so it is not worth probing again.
            if (CLAIMED.add(port) && canBind(port)) {
                return port;
            }
        }
        throw new IllegalStateException(
                "no free port on 127.0.0.1 between " + FIRST_PORT + " and " + LAST_PORT);
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // like the engines' own listeners: a port left in TIME_WAIT by the last run is free
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    private static int parse(Path file, String name, String value) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalStateException(
                "bad port '%s' for '%s' in %s; fix it or delete the file to choose new ports"
                        .formatted(value, name, file));
    }

    private static Properties load(Path file) throws IOException {
        Properties saved = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                saved.load(reader);
            }
        }
        return saved;
    }

    /** Saves {@code ports} over their entries in {@code saved}, keeping the file's others. */
    private static void save(Path file, Properties saved, Map<String, Integer> ports)
            throws IOException {
        ports.forEach((name, port) -> saved.setProperty(name, Integer.toString(port)));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer writer = Files.newBufferedWriter(temp)) {
            saved.store(writer, "127.0.0.1 ports of this engine, chosen on its first start");
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
