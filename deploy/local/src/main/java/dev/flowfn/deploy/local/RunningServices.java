package dev.flowfn.deploy.local;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the launcher started, stopped in the reverse order: the Connect worker before Kafka, the job
 * (with its savepoint) before the store and Kafka it writes to. A service that fails to stop is
 * logged and the rest still stop.
 *
 * <p>Threads: {@link #add} from the starting thread; {@link #close} from one thread (main or the
 * shutdown hook), once.
 */
final class RunningServices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunningServices.class);

    private record Named(String name, AutoCloseable service) {}

    private final Deque<Named> started = new ArrayDeque<>();

    /** Registers a started service to stop later; returns it. */
    synchronized <T extends AutoCloseable> T add(String name, T service) {
        started.push(new Named(name, service));
        return service;
    }

    /** Stops every service, the last started first. */
    @Override
    public void close() {
        while (true) {
            Named next;
            synchronized (this) {
                next = started.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.service().close();
            } catch (Exception e) {
                LOG.warn("could not stop {} cleanly", next.name(), e);
            }
        }
    }
}
