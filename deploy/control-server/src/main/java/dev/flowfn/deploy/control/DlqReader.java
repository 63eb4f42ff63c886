package dev.flowfn.deploy.control;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code flowfn.dlq} (read_committed) for the console and the API; a record that does not
 * decode as a DeadLetter is left out with a log line. Threads: request threads.
 */
final class DlqReader implements DeadLetterQueue {

    private static final Logger LOG = LoggerFactory.getLogger(DlqReader.class);
    private static final AvroCodec<DeadLetter> LETTERS = AvroCodec.of(DeadLetter.class);

    private final TopicReader reader;

    DlqReader(TopicReader reader) {
        this.reader = reader;
    }

    @Override
    public List<Entry> since(Instant from, int max) {
        List<Entry> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                reader.read(Topics.DLQ, null, from, max).records()) {
            decode(r)
                    .ifPresent(
                            letter -> out.add(new Entry(r.partition() + ":" + r.offset(), letter)));
        }
        return out;
    }

    @Override
    public Optional<DeadLetter> at(String id) {
        long[] position = DeadLetterQueue.position(id);
        return reader.at(Topics.DLQ, (int) position[0], position[1]).flatMap(DlqReader::decode);
    }

    private static Optional<DeadLetter> decode(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Optional.of(LETTERS.decode(r.value()));
        } catch (RuntimeException e) {
            LOG.warn(
                    "{} {}:{} is not a dead letter, left out: {}",
                    Topics.DLQ,
                    r.partition(),
                    r.offset(),
                    e.getMessage());
            return Optional.empty();
        }
    }
}
