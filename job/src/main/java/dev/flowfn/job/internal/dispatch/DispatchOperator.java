package dev.flowfn.job.internal.dispatch;

import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.schemas.InvocationRequest;
import java.time.Duration;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream.OutputMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperator;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.streaming.util.retryable.AsyncRetryStrategies;

/**
 * Flink's unordered async wait operator around {@link DispatchFunction}, with one addition: it
 * tells the function when the in-flight invocations of a restored checkpoint have all been handed
 * back. Flink keeps those in a hash set and re-submits them in its iteration order, which is not
 * the order they came in; the function holds them until this signal and starts them in {@link
 * InvocationRequest#getSequence() sequence} order, so one key's invocations keep their order across
 * a failover.
 *
 * <p>Flink re-submits them at the end of {@link AsyncWaitOperator#open()}, after the function's own
 * open and before the first new input, all on the task thread.
 */
public final class DispatchOperator extends AsyncWaitOperator<InvocationRequest, OutputRecord> {

    /** The longest an invocation may wait and run, queue and all attempts together. */
    public static final Duration LIMIT = Duration.ofHours(25);

    private final DispatchFunction function;

    private DispatchOperator(
            StreamOperatorParameters<OutputRecord> parameters,
            DispatchFunction function,
            int capacity,
            Factory factory) {
        super(
                parameters,
                function,
                LIMIT.toMillis(),
                capacity,
                OutputMode.UNORDERED,
                AsyncRetryStrategies.NO_RETRY_STRATEGY,
                factory.timeService(),
                factory.mailbox());
        this.function = function;
        function.holdAtMost(capacity);
    }

    @Override
    public void open() throws Exception {
        super.open();
        function.restoreHandedBack();
    }

    /**
     * {@code in} dispatched by {@code function}, at most {@code capacity} invocations in flight.
     */
    public static SingleOutputStreamOperator<OutputRecord> apply(
            DataStream<InvocationRequest> in, DispatchFunction function, int capacity) {
        return in.transform(
                "dispatch",
                TypeInformation.of(OutputRecord.class),
                new Factory(function, capacity));
    }

    /** Makes {@link DispatchOperator}s; serialized with the job graph. */
    static final class Factory extends AsyncWaitOperatorFactory<InvocationRequest, OutputRecord> {
        private final DispatchFunction function;
        private final int capacity;

        Factory(DispatchFunction function, int capacity) {
            super(function, LIMIT.toMillis(), capacity, OutputMode.UNORDERED);
            this.function = function;
            this.capacity = capacity;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends StreamOperator<OutputRecord>> T createStreamOperator(
                StreamOperatorParameters<OutputRecord> parameters) {
            return (T) new DispatchOperator(parameters, function, capacity, this);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
            return DispatchOperator.class;
        }

        private ProcessingTimeService timeService() {
            return processingTimeService;
        }

        private MailboxExecutor mailbox() {
            return getMailboxExecutor();
        }
    }
}
