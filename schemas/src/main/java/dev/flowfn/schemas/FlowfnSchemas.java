package dev.flowfn.schemas;

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
                            RawRecord.class,
                            FailureKind.class,
                            LogLevel.class,
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
