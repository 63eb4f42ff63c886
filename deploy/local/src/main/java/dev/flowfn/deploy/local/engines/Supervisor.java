package dev.flowfn.deploy.local.engines;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keeps a set of named child JVMs running, as systemd or Kubernetes would: a member that exits
 * while the supervisor runs (a crash, {@code kill -9}) is started again by its own {@link Launch},
 * on the same ports and data. Members stop in the reverse order they were added.
 *
 * <p>Threads: members are added from one thread; a watcher thread of its own ({@link #watch})
 * restarts them; {@link #pids} and {@link #close} may be called from any thread.
 */
public final class Supervisor implements AutoCloseable {

    /** Starts one member's process and returns once it is ready to serve. */
    @FunctionalInterface
    public interface Launch {
        ChildJvm start() throws IOException, InterruptedException;
    }

    private static final class Member {
        final String name;
        final Launch launch;
        ChildJvm jvm;
        int restarts;

        Member(String name, Launch launch) {
            this.name = name;
            this.launch = launch;
        }
    }

    private final List<Member> members = new ArrayList<>();
    private volatile boolean closing;
    private Thread watcher;

    /** Starts a member now (blocking until it is ready) and supervises it from then on. */
    public void start(String name, Launch launch) throws IOException, InterruptedException {
        Member member = new Member(name, launch);
        member.jvm = launch.start();
        synchronized (this) {
            members.add(member);
        }
    }

    /**
     * Checks every {@code period} that each member runs; starts again one that exited, telling
     * {@code events} before and after ({@code kafka-2 exited (code 137); starting it again}).
     */
    public synchronized void watch(Duration period, Consumer<String> events) {
        if (watcher != null) {
            throw new IllegalStateException("already watching");
        }
        watcher =
                new Thread(
                        () -> {
                            while (!closing) {
                                try {
                                    Thread.sleep(period.toMillis());
                                    restartExited(events);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "flowfn-supervisor");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void restartExited(Consumer<String> events) throws InterruptedException {
        List<Member> snapshot;
        synchronized (this) {
            snapshot = List.copyOf(members);
        }
        for (Member m : snapshot) {
            if (closing || m.jvm.isAlive()) {
                continue;
            }
            events.accept(
                    "%s exited (code %d); starting it again"
                            .formatted(m.name, m.jvm.exitCode().orElse(-1)));
            try {
                ChildJvm started = m.launch.start();
                synchronized (this) {
                    m.jvm = started;
                    m.restarts++;
                }
                events.accept("%s is back (pid %d)".formatted(m.name, started.pid()));
            } catch (IOException | RuntimeException e) {
                events.accept(
                        "%s did not start again: %s; next try in a moment"
                                .formatted(m.name, e.getMessage()));
            }
        }
    }

    /** Every member's current process id, in the order they were added. */
    public synchronized Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (Member m : members) {
            pids.put(m.name, m.jvm.pid());
        }
        return pids;
    }

    /** How many times each member was started again. */
    public synchronized Map<String, Integer> restarts() {
        Map<String, Integer> restarts = new LinkedHashMap<>();
        for (Member m : members) {
            restarts.put(m.name, m.restarts);
        }
        return restarts;
    }

    /** Stops watching, then every member, last added first. Idempotent. */
    @Override
    public void close() {
        closing = true;
        Thread w;
        List<Member> snapshot;
        synchronized (this) {
            w = watcher;
            snapshot = new ArrayList<>(members);
        }
        if (w != null) {
            w.interrupt();
            try {
                w.join(ChildJvm.STOP_TIMEOUT.toMillis() * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = snapshot.size() - 1; i >= 0; i--) {
            snapshot.get(i).jvm.close();
        }
    }
}
