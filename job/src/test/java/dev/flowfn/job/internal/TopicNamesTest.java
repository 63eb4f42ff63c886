package dev.flowfn.job.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class TopicNamesTest {

    @Test
    void threadsReadingManyNamesAtOnceEachGetTheOneStringOfEachName() throws Exception {
        TopicNames names = new TopicNames(TopicNames.MAX_KEPT);
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            topics.add(String.format("bench.m-7-%03d", i));
        }
        byte[] written = written(topics);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> reads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Callable<List<String>> read = () -> readAll(names, written, topics.size());
                reads.add(threads.submit(read));
            }
            List<String> first = reads.get(0).get();
            assertThat(first).isEqualTo(topics);
            for (Future<List<String>> other : reads) {
                List<String> read = other.get();
                for (int i = 0; i < topics.size(); i++) {
                    assertThat(read.get(i)).as(topics.get(i)).isSameAs(first.get(i));
                }
            }
            List<String> again = readAll(names, written, topics.size());
            for (int i = 0; i < topics.size(); i++) {
                assertThat(again.get(i)).as(topics.get(i)).isSameAs(first.get(i));
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(names.kept()).isEqualTo(1_000);
    }

    @Test
    void pastTheNamesItKeepsANewNameIsDecodedEachTime() throws IOException {
        TopicNames names = new TopicNames(2);
        List<String> topics = List.of("a", "b", "c", "c", "tópico\u0000ü", "a");
        List<String> read = readAll(names, written(topics), topics.size());
        assertThat(read).isEqualTo(topics);
        assertThat(read.get(5)).isSameAs(read.get(0));
        assertThat(read.get(3)).isNotSameAs(read.get(2));
        assertThat(names.kept()).isEqualTo(2);
    }

    private static byte[] written(List<String> topics) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (String t : topics) {
            out.writeUTF(t);
        }
        return out.getCopyOfBuffer();
    }

    private static List<String> readAll(TopicNames names, byte[] written, int count)
            throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(written);
        List<String> read = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            read.add(names.read(in));
        }
        assertThat(in.available()).as("bytes left").isZero();
        return read;
    }
}
