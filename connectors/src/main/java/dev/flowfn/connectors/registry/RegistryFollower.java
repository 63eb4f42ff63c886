package dev.flowfn.connectors.registry;

import dev.flowfn.kafka.CompactedTopicView;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.Topics;
import java.time.Duration;
import java.util.Map;

/**
 * The deployed functions, followed live from the compacted {@code flowfn.functions} topic: what
 * connectors subscribe to or schedule follows deploys, updates and deletes without a restart.
 *
 * <p>Threads: one consumer thread of its own; {@link Listener#changed} runs on it, after each poll
 * that changed something (and once when the follower has caught up, even with no functions). {@link
 * #functions} may be called from any thread.
 */
public final class RegistryFollower implements AutoCloseable {

    /** Told of every change: the whole registry as it now is. */
    public interface Listener {
        void changed(Map<String, FunctionSpec> functions);
    }

    private final CompactedTopicView<FunctionSpec> view;

    private RegistryFollower(CompactedTopicView<FunctionSpec> view) {
        this.view = view;
    }

    /** Starts a thread reading {@code flowfn.functions} from the beginning (read_committed). */
    public static RegistryFollower start(KafkaClientConfig kafka, Listener listener) {
        CompactedTopicView<FunctionSpec> view =
                CompactedTopicView.ofAvro(kafka, Topics.FUNCTIONS, FunctionSpec.class)
                        .named("flowfn-registry-follower")
                        .onChange(listener::changed);
        return new RegistryFollower(view.start());
    }

    /** The functions now deployed, by name (an immutable snapshot). */
    public Map<String, FunctionSpec> functions() {
        return view.snapshot();
    }

    /**
     * Throws if the follower's thread died: a task that goes on would miss every deploy, so it
     * should fail where Connect shows it (call it from {@code poll}).
     *
     * @throws IllegalStateException naming the cause
     */
    public void checkAlive() {
        try {
            view.checkAlive();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(
                    "the registry follower stopped ("
                            + e.getCause()
                            + "); restart the connector's task",
                    e.getCause());
        }
    }

    /** Blocks until the follower has read up to the end offsets it saw when it started. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return view.awaitCaughtUp(timeout);
    }

    @Override
    public void close() {
        view.close();
    }
}
