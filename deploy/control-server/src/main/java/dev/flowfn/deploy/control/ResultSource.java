package dev.flowfn.deploy.control;

import dev.flowfn.schemas.InvocationResult;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Results of invocations, by invocation id. {@link ResultWaiter} ({@code flowfn.results}) is the
 * real one.
 *
 * <p>Threads: any thread may call; the futures complete on the source's own thread, so whoever
 * chains on them must not block.
 */
interface ResultSource {

    /**
     * The result of {@code invocationId} once it arrives. Call before the invocation is published,
     * so no result can pass unseen; call {@link #forget} when no longer waiting.
     */
    CompletableFuture<InvocationResult> expect(String invocationId);

    /** Stops waiting for {@code invocationId}. */
    void forget(String invocationId);

    /** A result seen recently (see the implementation for how many), if any. */
    Optional<InvocationResult> recent(String invocationId);
}
