package dev.flowfn.job.internal.dispatch;

import java.util.Collection;
import java.util.Optional;

/**
 * Says whether a handler's records can go to the topics it emitted to. A record the Kafka sink
 * cannot write (for a topic that does not exist, on a cluster that does not create topics on first
 * use) would fail the sink's transaction and with it the whole job, again on every restart; checked
 * here, it fails only its invocation, with a reason. Names are checked earlier, by {@code
 * OutgoingEvent.record}. Thread-safe.
 */
interface EmitTopics {

    /** Accepts every topic (no cluster to ask: unit tests, benchmarks). */
    EmitTopics ANY = topics -> Optional.empty();

    /** Empty if every topic can be written to; else what is wrong and what to do. */
    Optional<String> problem(Collection<String> topics);
}
