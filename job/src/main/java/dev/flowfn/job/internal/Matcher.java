package dev.flowfn.job.internal;

import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.UndecodableRecordException;
import dev.flowfn.schemas.contract.EventExtensions;
import dev.flowfn.schemas.contract.EventTypes;
import dev.flowfn.schemas.s3.InvalidNotificationException;
import dev.flowfn.schemas.s3.MinioKafkaTarget;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a record read from a trigger topic and matches it to the functions it triggers, against
 * the registry's {@link TriggerIndex}: each match is an invocation; a direct invocation of a
 * function the registry does not know (yet) is unresolved; a record that cannot be decoded is a
 * dead letter.
 */
final class Matcher {

    private static final Logger LOG = LoggerFactory.getLogger(Matcher.class);

    /** Where the matches of one record go. */
    interface Matches {
        /**
         * The event runs {@code function}: its latest version when {@code qualifier} is null, else
         * the version or alias it names (the receiver resolves it per partition key).
         */
        void invoke(DeployedFunction function, String qualifier, Event event) throws Exception;

        void unresolved(String function, Event event) throws Exception;

        void deadLetter(OutputRecord letter);
    }

    private final Set<String> notificationTopics;

    /**
     * @param notificationTopics topics where MinIO's Kafka target writes bucket notifications
     */
    Matcher(Set<String> notificationTopics) {
        this.notificationTopics = notificationTopics;
    }

    void match(SourceRecord record, TriggerIndex index, Matches out) throws Exception {
        if (notificationTopics.contains(record.topic)) {
            matchNotification(record, index, out);
            return;
        }
        Event event;
        try {
            event = SourceEvents.toEvent(record);
        } catch (UndecodableRecordException e) {
            out.deadLetter(
                    OutputRecords.deadLetter(
                            record, FailureKind.BAD_EVENT, record + ": " + e.getMessage()));
            return;
        }
        String target = event.getExtensions().get(EventExtensions.TARGET);
        if (target == null) {
            matchTriggers(record.topic, event, index, out);
            return;
        }
        DeployedFunction function = index.function(target);
        if (function != null && function.latest().getVersion() >= SourceEvents.minVersion(event)) {
            out.invoke(function, event.getExtensions().get(EventExtensions.QUALIFIER), event);
        } else {
            out.unresolved(target, event);
        }
    }

    private static void matchTriggers(String topic, Event event, TriggerIndex index, Matches out)
            throws Exception {
        List<Target> matches = index.matching(topic, event);
        for (int i = 0; i < matches.size(); i++) {
            Target t = matches.get(i);
            out.invoke(t.function(), t.qualifier(), event);
        }
        if (matches.isEmpty() && event.getType().equals(EventTypes.TIMER_TICK)) {
            LOG.info(
                    "tick {} dropped: {} no longer has that cron trigger (updated or deleted)",
                    event.getId(),
                    event.getExtensions().get(EventExtensions.TIMER_FUNCTION));
        }
    }

    /**
     * A record of MinIO's own Kafka notification target: notification JSON, one or more object
     * events, each matched like an s3 event on {@code flowfn.events}.
     */
    private static void matchNotification(SourceRecord record, TriggerIndex index, Matches out)
            throws Exception {
        List<Event> events;
        try {
            events = MinioKafkaTarget.events(record.key, record.value);
        } catch (InvalidNotificationException e) {
            out.deadLetter(
                    OutputRecords.deadLetter(
                            record,
                            FailureKind.BAD_EVENT,
                            record + " is not a bucket notification: " + e.getMessage()));
            return;
        }
        for (Event event : events) {
            matchTriggers(Topics.EVENTS, event, index, out);
        }
    }
}
