package dev.flowfn.job.internal.code;

import java.security.Permission;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a {@code java-embedded} handler's {@code System.exit} from stopping the TaskManager: while
 * a thread runs a handler ({@link Mark#enter}..{@link Mark#exit}), {@code System.exit} and {@code
 * Runtime.halt} throw a {@link HandlerExitException} in the handler instead. Everything else is
 * allowed, as without a security manager.
 *
 * <p>It uses the JDK's {@link SecurityManager}, the one hook the JDK has for exits (deprecated for
 * removal, still working on Java 17 to 23; JDK 24 removed it, and there {@link #install} logs that
 * exits are not intercepted). Thread-safe.
 */
@SuppressWarnings("removal")
public final class ExitGuard extends SecurityManager {

    private static final Logger LOG = LoggerFactory.getLogger(ExitGuard.class);
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static final ThreadLocal<Mark> MARKS = ThreadLocal.withInitial(Mark::new);
    private static volatile boolean active;

    /** Thrown into a handler that tried to exit the JVM. */
    public static final class HandlerExitException extends SecurityException {
        HandlerExitException(int status) {
            super(
                    "the handler called System.exit("
                            + status
                            + "), which the java-embedded runtime does not allow: it would stop the"
                            + " TaskManager and every function in it; throw an exception instead,"
                            + " or deploy with --runtime java, where each function has its own"
                            + " process");
        }
    }

    private final SecurityManager previous;

    private ExitGuard(SecurityManager previous) {
        this.previous = previous;
    }

    /** Installs the guard once per JVM; returns whether exits are intercepted. */
    public static boolean install() {
        if (INSTALLED.compareAndSet(false, true)) {
            // the common pool picks its thread factory once, by whether a security manager is
            // set: made first, it keeps ordinary threads (not the JDK's "innocuous" ones)
            java.util.concurrent.ForkJoinPool.commonPool();
            try {
                System.setSecurityManager(new ExitGuard(System.getSecurityManager()));
                active = true;
            } catch (UnsupportedOperationException | SecurityException e) {
                LOG.warn(
                        "cannot intercept System.exit of java-embedded handlers on this JVM ({});"
                                + " run Java 17 with -Djava.security.manager=allow, or deploy"
                                + " untrusted functions with --runtime java",
                        e.toString());
            }
        }
        return active;
    }

    /**
     * Whether one thread runs a handler now. Only that thread reads or writes it, so a thread that
     * keeps its mark (the task thread of the inline path) pays a field write per handler, where a
     * thread-local lookup cost about 3% of that thread's time in bench scenario 1.
     */
    public static final class Mark {
        private boolean inHandler;

        private Mark() {}

        /** The mark's thread starts running a handler. */
        public void enter() {
            inHandler = true;
        }

        /** The mark's thread's handler returned. */
        public void exit() {
            inHandler = false;
        }
    }

    /** The current thread's mark; call {@link Mark#enter} and {@link Mark#exit} on that thread. */
    public static Mark currentThread() {
        return MARKS.get();
    }

    @Override
    public void checkExit(int status) {
        if (MARKS.get().inHandler) {
            throw new HandlerExitException(status);
        }
        if (previous != null) {
            previous.checkExit(status);
        }
    }

    @Override
    public void checkPermission(Permission perm) {
        if (previous != null) {
            previous.checkPermission(perm);
        }
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
        if (previous != null) {
            previous.checkPermission(perm, context);
        }
    }
}
