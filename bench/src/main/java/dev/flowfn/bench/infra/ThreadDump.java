package dev.flowfn.bench.infra;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the stacks of every thread of this JVM (the harness and the MiniCluster's job) to the
 * bench log, so that a scenario that waited in vain leaves what the job was doing behind.
 */
public final class ThreadDump {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadDump.class);

    /** Logs every thread's state and whole stack, under {@code why}. */
    public static void toLog(String why) {
        StringBuilder dump = new StringBuilder(why).append(": the stacks of every thread\n");
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            dump.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement frame : e.getValue()) {
                dump.append("    at ").append(frame).append('\n');
            }
        }
        LOG.warn("{}", dump);
    }

    private ThreadDump() {}
}
