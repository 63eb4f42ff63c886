package dev.flowfn.deploy.control;

import dev.flowfn.schemas.Alert;
import java.time.Instant;
import java.util.List;

/**
 * Alerts that fired or resolved. {@link AlertLog} ({@code flowfn.alerts}) is the real one. Threads:
 * request threads; may block while it reads.
 */
@FunctionalInterface
interface AlertHistory {

    /** The alerts recorded since {@code from}, oldest first per partition. */
    List<Alert> since(Instant from);
}
