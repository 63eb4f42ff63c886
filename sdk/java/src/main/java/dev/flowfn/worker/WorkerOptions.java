package dev.flowfn.worker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;

/**
 * The worker's settings, read once from the environment the job starts it with (sdk/PROTOCOL.md, "A
 * session"): where to connect, how many invocations to run at once, and its id.
 *
 * @param socket {@code FLOWFN_WORKER_SOCKET}: the job's Unix domain socket, or null
 * @param host with {@code port}, {@code FLOWFN_WORKER_ADDRESS} ({@code host:port}) when there is no
 *     socket
 * @param concurrency {@code FLOWFN_WORKER_CONCURRENCY}: invocations run at once, {@value
 *     #DEFAULT_CONCURRENCY} when unset
 * @param workerId {@code FLOWFN_WORKER_ID}, sent back in HELLO; null when unset
 * @param fastLimitUs {@code FLOWFN_WORKER_FAST_LIMIT_US}: a version whose runs take less runs on
 *     the reading thread ({@link Session}), {@value #DEFAULT_FAST_LIMIT_US} when unset
 */
record WorkerOptions(
        Path socket, String host, int port, int concurrency, String workerId, int fastLimitUs) {

    static final String SOCKET = "FLOWFN_WORKER_SOCKET";
    static final String ADDRESS = "FLOWFN_WORKER_ADDRESS";
    static final String CONCURRENCY = "FLOWFN_WORKER_CONCURRENCY";
    static final String WORKER_ID = "FLOWFN_WORKER_ID";
    static final String FAST_LIMIT_US = "FLOWFN_WORKER_FAST_LIMIT_US";

    /** As the Python worker and the job's default: threads, like Python's. */
    static final int DEFAULT_CONCURRENCY = 8;

    /** As the Python worker's. */
    static final int DEFAULT_FAST_LIMIT_US = 1000;

    /**
     * @throws IllegalArgumentException naming the variable to fix
     */
    static WorkerOptions fromEnv(Map<String, String> env) {
        int concurrency = concurrency(env.get(CONCURRENCY));
        int fastLimitUs = fastLimitUs(env.get(FAST_LIMIT_US));
        String workerId = blankToNull(env.get(WORKER_ID));
        String socket = blankToNull(env.get(SOCKET));
        if (socket != null) {
            return new WorkerOptions(Path.of(socket), null, 0, concurrency, workerId, fastLimitUs);
        }
        String address = blankToNull(env.get(ADDRESS));
        if (address == null) {
            throw new IllegalArgumentException(
                    "set "
                            + SOCKET
                            + " (a Unix socket path) or "
                            + ADDRESS
                            + " (host:port); the Flowfn job starts this worker with one of them");
        }
        int colon = address.lastIndexOf(':');
        int port = colon < 1 ? -1 : parsePositive(address.substring(colon + 1));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(
                    ADDRESS + " '" + address + "' must be host:port, e.g. 127.0.0.1:7070");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // [::1]:7070
        }
        return new WorkerOptions(null, host, port, concurrency, workerId, fastLimitUs);
    }

    /** Connects to the job; a blocking channel. */
    SocketChannel connect() throws IOException {
        if (socket != null) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return channel;
        }
        return SocketChannel.open(new InetSocketAddress(host, port));
    }

    /** Where it connects, for messages. */
    String describeAddress() {
        return socket != null ? socket.toString() : host + ":" + port;
    }

    private static int concurrency(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_CONCURRENCY;
        }
        int n = parsePositive(text);
        if (n < 1) {
            throw new IllegalArgumentException(
                    CONCURRENCY
                            + " '"
                            + text
                            + "' must be a positive integer ("
                            + DEFAULT_CONCURRENCY
                            + " when unset)");
        }
        return n;
    }

    private static int fastLimitUs(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_FAST_LIMIT_US;
        }
        int n = parsePositive(text);
        if (n < 1) {
            throw new IllegalArgumentException(
                    FAST_LIMIT_US
                            + " '"
                            + text
                            + "' must be a whole number of at least 1 ("
                            + DEFAULT_FAST_LIMIT_US
                            + " when unset)");
        }
        return n;
    }

    /** The number, or -1 when the text is not a positive decimal integer of at most 9 digits. */
    private static int parsePositive(String text) {
        if (text.isEmpty() || text.length() > 9) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(text);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
