package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.examples.hello.Upper;
import dev.flowfn.job.testfns.Exiter;
import dev.flowfn.job.testfns.FailsWhenAsked;
import dev.flowfn.job.testfns.Sleepy;
import dev.flowfn.job.testfns.Spinner;
import dev.flowfn.job.testfns.Thrower;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The function group with real handlers loaded from jars, driven the way the operator drives it:
 * the test thread is the task thread and runs the mailbox.
 */
class FunctionGroupTest extends FunctionGroupHarness {

    @Test
    void eachKeysInvocationsRunOneAtATimeInTheirOrder() throws Exception {
        FunctionSpec spec = spec("sleepy", Sleepy.class, 1_000, 8, Map.of("SLEEP_MS", "2"), 1);
        for (int i = 0; i < 30; i++) {
            for (String key : List.of("a", "b", "c")) {
                group.submit(invocation(spec, key, key + ":" + i));
            }
        }
        runUntilIdle(Duration.ofSeconds(30));

        Map<String, List<Integer>> byKey =
                results().stream()
                        .map(r -> text(r.getData()))
                        .collect(
                                Collectors.groupingBy(
                                        s -> s.substring(0, 1),
                                        Collectors.mapping(
                                                s -> Integer.parseInt(s.substring(2)),
                                                Collectors.toList())));
        List<Integer> inOrder = java.util.stream.IntStream.range(0, 30).boxed().toList();
        assertThat(byKey).containsOnlyKeys("a", "b", "c");
        byKey.values().forEach(seen -> assertThat(seen).isEqualTo(inOrder));
        assertThat(billed).hasSize(90);
    }

    @Test
    void aFunctionMeasuredFastRunsInlineOnTheCallersThread() throws Exception {
        FunctionSpec spec = spec("upper", Upper.class, 1_000, 4, Map.of(), 1);
        int firstInline = -1;
        for (int i = 0; i < 2_000 && firstInline < 0; i++) {
            int before = out.size();
            group.submit(invocation(spec, "k" + i, "w-" + i));
            if (out.size() > before) {
                firstInline = i;
                assertThat(group.inFlight()).isZero();
                assertThat(results().get(results().size() - 1).getData())
                        .isEqualTo(ByteBuffer.wrap(("W-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            runUntilIdle(Duration.ofSeconds(10));
        }
        assertThat(firstInline)
                .as("after enough fast runs in its lane, a result is out before the mailbox ran")
                .isGreaterThanOrEqualTo(InlinePolicy.PROMOTE_AFTER);
    }

    @Test
    void anInlineAttemptWaitingForItsRetryHoldsBackTheNextOfItsKey() throws Exception {
        FunctionSpec spec = spec("failswhenasked", FailsWhenAsked.class, 1_000, 4, Map.of(), 3);
        untilInline(spec);
        int before = results().size();

        group.submit(invocation(spec, "k", "fail")); // fails inline, its retry comes later
        group.submit(invocation(spec, "k", "after"));
        group.submit(invocation(spec, "other", "beside"));
        runUntilIdle(Duration.ofSeconds(10));

        List<String> seen =
                results().subList(before, results().size()).stream()
                        .map(r -> r.getSuccess() ? text(r.getData()) : "failed x" + r.getAttempts())
                        .toList();
        assertThat(seen).containsExactlyInAnyOrder("failed x3", "AFTER", "BESIDE");
        assertThat(seen.indexOf("failed x3"))
                .as("the next event of key k waits for the retries of the one before: %s", seen)
                .isLessThan(seen.indexOf("AFTER"));
        assertThat(group.inFlight()).isZero();
    }

    @Test
    void anInlineHandlersSystemExitFailsItsInvocationNotTheJvm() throws Exception {
        FunctionSpec spec = spec("failswhenasked", FailsWhenAsked.class, 1_000, 4, Map.of(), 1);
        untilInline(spec);
        int before = out.size();

        group.submit(invocation(spec, "k", "exit"));

        assertThat(out.size()).as("it ran inline, within the submit").isGreaterThan(before);
        runUntilIdle(Duration.ofSeconds(10));
        assertThat(letters())
                .singleElement()
                .satisfies(l -> assertThat(l.getReason()).contains("System.exit(3)"));
        group.submit(invocation(spec, "k", "still here"));
        runUntilIdle(Duration.ofSeconds(10));
        assertThat(text(results().get(results().size() - 1).getData())).isEqualTo("STILL HERE");
    }

    /** Submits events of fresh keys until the function runs inline, within the submit. */
    private void untilInline(FunctionSpec spec) throws Exception {
        for (int i = 0; i < 2_000; i++) {
            int before = out.size();
            group.submit(invocation(spec, "k" + i, "w-" + i));
            boolean inline = out.size() > before;
            runUntilIdle(Duration.ofSeconds(10));
            if (inline) {
                return;
            }
        }
        throw new AssertionError(spec.getName() + " never ran inline");
    }

    @Test
    void aFastVersionUnloadedWhileIdleIsLoadedAgainByItsNextEvent() throws Exception {
        startWithIdleUnload(Duration.ofMillis(1));
        FunctionSpec spec = spec("upper", Upper.class, 1_000, 4, Map.of(), 1);
        int runs = 0;
        for (; runs < 2_000; runs++) { // until it runs inline, from the version's loaded code
            int before = out.size();
            group.submit(invocation(spec, "k" + runs, "w-" + runs));
            boolean inline = out.size() > before;
            runUntilIdle(Duration.ofSeconds(10));
            if (inline) {
                break;
            }
        }
        Thread.sleep(20);
        assertThat(runtime.loader.unloadIdle()).isEqualTo(1);
        assertThat(runtime.loader.loadedCount()).isZero();

        group.submit(invocation(spec, "k", "again"));
        runUntilIdle(Duration.ofSeconds(10));

        assertThat(results()).hasSize(runs + 2).allMatch(r -> r.getSuccess());
        assertThat(text(results().get(runs + 1).getData())).isEqualTo("AGAIN");
        assertThat(runtime.loader.loadedCount()).as("loaded again").isEqualTo(1);
    }

    @Test
    void anEmbeddedHandlersSystemExitFailsItsInvocationNotTheJvm() throws Exception {
        FunctionSpec exiter = spec("exiter", Exiter.class, 1_000, 1, Map.of(), 1);
        FunctionSpec upper = spec("upper", Upper.class, 1_000, 1, Map.of(), 1);
        group.submit(invocation(exiter, "k", "x"));
        group.submit(invocation(upper, "k", "still here"));
        runUntilIdle(Duration.ofSeconds(10));

        assertThat(letters())
                .singleElement()
                .satisfies(
                        l -> {
                            assertThat(l.getKind()).isEqualTo(FailureKind.HANDLER_ERROR);
                            assertThat(l.getReason())
                                    .contains("System.exit(7)")
                                    .contains("--runtime java");
                        });
        assertThat(results().stream().filter(r -> r.getSuccess()).map(r -> text(r.getData())))
                .containsExactly("STILL HERE");
    }

    @Test
    void anAttemptPastItsDeadlineTimesOutAndTheNextOfItsKeyStarts() throws Exception {
        FunctionSpec spinner = spec("spin", Spinner.class, 150, 2, Map.of(), 1);
        long t0 = System.nanoTime();
        group.submit(invocation(spinner, "k", "first"));
        group.submit(invocation(spinner, "k", "second"));
        runUntilIdle(Duration.ofSeconds(10));

        assertThat(results()).hasSize(2).allMatch(r -> r.getFailureKind() == FailureKind.TIMEOUT);
        assertThat(results().get(0).getError()).contains("timeout of 0.15s");
        assertThat(letters()).hasSize(2).allMatch(l -> l.getKind() == FailureKind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aFailingHandlerIsRetriedThenDeadLetteredWithEveryAttemptMetered() throws Exception {
        FunctionSpec thrower = spec("thrower", Thrower.class, 1_000, 1, Map.of(), 3);
        group.submit(invocation(thrower, "k", "x"));
        runUntilIdle(Duration.ofSeconds(10));

        assertThat(results())
                .singleElement()
                .satisfies(r -> assertThat(r.getAttempts()).isEqualTo(3));
        assertThat(letters())
                .singleElement()
                .satisfies(l -> assertThat(l.getKind()).isEqualTo(FailureKind.HANDLER_ERROR));
        assertThat(billed).hasSize(3);
        assertThat(out.stream().filter(r -> r.topic.equals(Topics.LOGS))).hasSize(3);
    }

    @Test
    void codeThatCannotBeLoadedFailsEveryInvocationWithoutAnAttempt() throws Exception {
        FunctionSpec broken =
                FunctionSpec.newBuilder(spec("broken", Upper.class, 1_000, 1, Map.of(), 1))
                        .setCodeSha256("00")
                        .build();
        group.submit(invocation(broken, "k", "a"));
        group.submit(invocation(broken, "k", "b"));
        runUntilIdle(Duration.ofSeconds(10));

        assertThat(letters()).hasSize(2).allMatch(l -> l.getKind() == FailureKind.CODE_LOAD);
        assertThat(letters().get(0).getReason()).contains("deploy the function again");
        assertThat(results()).allMatch(r -> r.getAttempts() == 0);
        assertThat(billed).isEmpty();
    }
}
