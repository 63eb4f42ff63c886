package dev.flowfn.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/** Every record type on a Flowfn topic, and the trust Avro needs to decode into them. */
public final class FlowfnSchemas {

    /** The generated record classes, one per schema the platform writes. */
    public static final List<Class<? extends SpecificRecord>> RECORD_CLASSES =
            List.of(
                    Event.class,
                    FunctionSpec.class,
                    InvocationResult.class,
                    DeadLetter.class,
                    LogRecord.class,
                    InvocationRequest.class,
                    FunctionKey.class,
                    InvocationRecord.class,
                    MeterWindow.class,
                    Alert.class);

    /**
     * Earlier versions of this build's schemas that records on the topics may still have been
     * written with: resources {@code previous/<Name>-<fingerprint>.avsc}, each self-contained. Add
     * one here whenever a change to a {@code .avsc} changes its fingerprint (adding {@code
     * Event.sourceIdentity} changed Event and the two records that embed it; adding {@code
     * LogRecord.progress} changed LogRecord; adding {@code PLATFORM_ERROR} to FailureKind changed
     * the three records that embed it; adding aliases and history changed FunctionSpec, and adding
     * {@code rollback} changed Alert; adding {@code WORKER_EXITED} and {@code OUT_OF_MEMORY} to
     * FailureKind changed its three records again), so this build decodes what the builds before it
     * wrote without asking {@code flowfn.schemas}.
     */
    private static final List<String> PREVIOUS =
            List.of(
                    "Event-cb339ffc298c1a8e",
                    "DeadLetter-473f31edbb4d7842",
                    "InvocationRequest-fadd8aee09ac6c74",
                    "LogRecord-3da0b346ad52c002",
                    "DeadLetter-87b1ca297341b910",
                    "InvocationRecord-47b9dc2bbcd56651",
                    "InvocationResult-9f44e7e57ce2735d",
                    "FunctionSpec-205366ebb34f062c",
                    "Alert-d27234ae27725b55",
                    "DeadLetter-911ddb95dc1ed209",
                    "InvocationRecord-1201dfd277f1a32e",
                    "InvocationResult-a76c90da0f3754fe");

    private static volatile boolean trusted;

    /** The schema of each record class, in {@link #RECORD_CLASSES} order. */
    public static List<Schema> all() {
        return List.of(
                Event.getClassSchema(),
                FunctionSpec.getClassSchema(),
                InvocationResult.getClassSchema(),
                DeadLetter.getClassSchema(),
                LogRecord.getClassSchema(),
                InvocationRequest.getClassSchema(),
                FunctionKey.getClassSchema(),
                InvocationRecord.getClassSchema(),
                MeterWindow.getClassSchema(),
                Alert.getClassSchema());
    }

    /** The earlier schema versions this build still reads, see {@link #PREVIOUS}. */
    public static List<Schema> previous() {
        return Previous.SCHEMAS;
    }

    /** Parsed once, on first use. */
    private static final class Previous {
        static final List<Schema> SCHEMAS = PREVIOUS.stream().map(Previous::load).toList();

        private static Schema load(String name) {
            String resource = "previous/" + name + ".avsc";
            try (InputStream in = FlowfnSchemas.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("schema resource " + resource + " is missing");
                }
                return new Schema.Parser().parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema resource " + resource, e);
            }
        }
    }

    /**
     * Lets Avro 1.12 decode into the generated classes (it refuses classes outside trusted
     * packages). Idempotent; every codec calls it, so no JVM needs a system property.
     */
    public static void trustGeneratedClasses() {
        if (trusted) {
            return;
        }
        synchronized (FlowfnSchemas.class) {
            if (trusted) {
                return;
            }
            ClassSecurityValidator.Builder ours = ClassSecurityValidator.builder();
            for (Class<?> c : RECORD_CLASSES) {
                ours.add(c);
            }
            for (Class<?> c :
                    List.of(
                            RetryPolicy.class,
                            Trigger.class,
                            Alias.class,
                            RawRecord.class,
                            FailureKind.class,
                            LogLevel.class,
                            ProgressReport.class,
                            AlertState.class)) {
                ours.add(c);
            }
            ClassSecurityValidator.setGlobal(
                    ClassSecurityValidator.composite(
                            ClassSecurityValidator.getGlobal(), ours.build()));
            trusted = true;
        }
    }

    private FlowfnSchemas() {}
}
