package dev.flowfn.deploy.local;

import java.io.PrintWriter;

/**
 * The numbered lines {@code flowfn local} prints while it starts: {@code [3/7] topics and schemas
 * ... ready (0.5 s)}. The label is printed (and flushed) before a step runs, so a slow step shows
 * what it is waiting for.
 *
 * <p>Threads: one thread prints steps; {@link #line} may be called from any thread once steps are
 * done.
 */
final class StartupReport {

    /** A step of the start-up: does its work and says how it went. */
    @FunctionalInterface
    interface Step {
        /** Runs the step; returns what the report prints after the label. */
        String run() throws Exception;
    }

    private final PrintWriter out;
    private final int steps;
    private int current;

    StartupReport(PrintWriter out, int steps) {
        this.out = out;
        this.steps = steps;
    }

    /** Prints {@code [n/N] label ... }, runs {@code step}, then prints its outcome and time. */
    void step(String label, Step step) throws Exception {
        current++;
        out.print("[" + current + "/" + steps + "] " + label + " ... ");
        out.flush();
        long start = System.nanoTime();
        String outcome = step.run();
        out.printf("%s (%.1f s)%n", outcome, (System.nanoTime() - start) / 1e9);
        out.flush();
    }

    /** A step whose work ran earlier (beside other steps): prints what it reported then. */
    void stepDone(String label, String outcome) {
        current++;
        out.println("[" + current + "/" + steps + "] " + label + " ... " + outcome);
        out.flush();
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }
}
