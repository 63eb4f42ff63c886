package dev.flowfn.deploy.control;

import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.contract.EventExtensions;
import java.util.HashMap;
import java.util.Map;

/**
 * "Run again" of a dead letter: the event it holds, to publish on {@code flowfn.events} once more.
 *
 * <ul>
 *   <li>It gets a new id (the invocation id of the new run) and no source identity: the job drops a
 *       repeat of a notification's or a tick's id, and this run is meant, not a repeat.
 *   <li>When the dead letter names its function, the event is addressed to that function alone
 *       (extension {@code flowfntarget}): other functions its triggers matched did not fail and
 *       must not run twice. It runs on the function's latest version, so a fix deployed since then
 *       is what runs, unless the event named a version or an alias ({@code flowfnqualifier}, kept).
 *   <li>A reply address of the HTTP gateway is dropped: that request was answered long ago.
 * </ul>
 *
 * Everything else (source, type, subject, so the partition key and its order, time, data,
 * extensions) is kept. Stateless; any thread.
 */
final class DeadLetterReplay {

    static final String NO_EVENT =
            "this dead letter holds no event to run again: its record could not be decoded (see"
                    + " its reason); fix the producer and send the event again";

    private DeadLetterReplay() {}

    /**
     * @param newId the id of the event to publish (a random UUID)
     * @throws ApiException 409 when the dead letter holds no event
     */
    static Event event(DeadLetter letter, String newId) {
        Event original = letter.getEvent();
        if (original == null) {
            throw new ApiException(409, NO_EVENT);
        }
        Map<String, String> extensions = new HashMap<>(original.getExtensions());
        extensions.remove(EventExtensions.REPLY_TO);
        if (letter.getFunction() != null) {
            extensions.put(EventExtensions.TARGET, letter.getFunction());
            extensions.remove(EventExtensions.MIN_VERSION);
        }
        return Event.newBuilder(original)
                .setId(newId)
                .setSourceIdentity(false)
                .setExtensions(extensions)
                .build();
    }
}
