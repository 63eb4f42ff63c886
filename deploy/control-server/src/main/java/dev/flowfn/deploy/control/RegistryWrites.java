package dev.flowfn.deploy.control;

import dev.flowfn.schemas.FunctionSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-modify-write of one function's latest registry record (a deploy, an alias move, a version
 * deleted), one at a time per function within this server, then the code of versions no longer kept
 * is deleted. Two servers writing the same function at the same instant: the last write wins, as
 * with two deploys.
 *
 * <p>Threads: request threads and the alert follower, concurrently.
 */
final class RegistryWrites {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryWrites.class);
    private static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(30);

    private final FunctionRegistry registry;
    private final CodeRepository code;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    RegistryWrites(FunctionRegistry registry, CodeRepository code) {
        this.registry = registry;
        this.code = code;
    }

    FunctionRegistry registry() {
        return registry;
    }

    /**
     * Applies {@code change} to the function's record as it is now (null when not deployed) and
     * writes the result; returns it once the registry shows it. An {@link ApiException} from {@code
     * change} writes nothing.
     */
    FunctionSpec update(String name, UnaryOperator<FunctionSpec> change) {
        FunctionSpec before;
        FunctionSpec after;
        synchronized (locks.computeIfAbsent(name, n -> new Object())) {
            before = registry.get(name).orElse(null);
            after = change.apply(before);
            if (Objects.equals(after, before)) {
                return after; // nothing changed (or nothing to change: a deleted function)
            }
            try {
                registry.put(after, REGISTRY_TIMEOUT);
            } catch (Exception e) {
                throw new ApiException(
                        503,
                        "could not write the function to the registry topic: "
                                + e.getMessage()
                                + "; check that Kafka is up, then retry");
            }
        }
        for (FunctionSpec gone : VersionHistory.dropped(before, after)) {
            if (!VersionHistory.usesCode(after, gone.getCodeUri())) {
                code.delete(name, gone.getCodeUri());
            }
            LOG.info("{} version {} is no longer kept", name, gone.getVersion());
        }
        return after;
    }
}
