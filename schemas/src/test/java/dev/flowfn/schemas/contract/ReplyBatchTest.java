package dev.flowfn.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyBatchTest {

    @Test
    void entriesComeBackInOrderWithTheirBytes() throws Exception {
        List<ReplyBatch.Entry> sent =
                List.of(
                        new ReplyBatch.Entry("inv-1", new byte[] {1, 2, 3}),
                        new ReplyBatch.Entry("inv-é", new byte[0]),
                        new ReplyBatch.Entry("inv-3", new byte[300]));
        List<String> ids = new ArrayList<>();
        List<byte[]> results = new ArrayList<>();

        int count =
                ReplyBatch.decode(
                        new ByteArrayInputStream(ReplyBatch.encode(sent)),
                        (id, result) -> {
                            ids.add(new String(id, StandardCharsets.UTF_8));
                            results.add(result);
                        },
                        1024);

        assertThat(count).isEqualTo(3);
        assertThat(ids).containsExactly("inv-1", "inv-é", "inv-3");
        assertThat(results.get(0)).containsExactly(1, 2, 3);
        assertThat(results.get(1)).isEmpty();
        assertThat(results.get(2)).hasSize(300);
    }

    @Test
    void anEmptyBodyHasNoEntries() throws Exception {
        assertThat(ReplyBatch.decode(new ByteArrayInputStream(new byte[0]), (id, r) -> {}, 1024))
                .isZero();
    }

    @Test
    void aStreamedBodyHandsOnEachEntryBeforeReadingTheNext() throws Exception {
        byte[] first = ReplyBatch.encode(List.of(new ReplyBatch.Entry("a", new byte[] {7})));
        byte[] body =
                ReplyBatch.encode(
                        List.of(
                                new ReplyBatch.Entry("a", new byte[] {7}),
                                new ReplyBatch.Entry("b", new byte[] {8, 9})));
        List<String> seen = new ArrayList<>();
        InputStream stream =
                new ByteArrayInputStream(body) {
                    @Override
                    public synchronized int read() {
                        note();
                        return super.read();
                    }

                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        note();
                        return super.read(b, off, len);
                    }

                    private void note() {
                        if (pos == first.length && !seen.contains("read past a")) {
                            seen.add("read past a");
                        }
                    }
                };

        int count =
                ReplyBatch.decode(
                        stream,
                        (id, r) -> seen.add("got " + new String(id, StandardCharsets.UTF_8)),
                        1024);

        assertThat(count).isEqualTo(2);
        assertThat(seen).containsExactly("got a", "read past a", "got b");
    }

    @Test
    void aStreamThatEndsInsideAnEntryFailsThereAfterHandingOnTheOnesBefore() {
        byte[] body =
                ReplyBatch.encode(
                        List.of(
                                new ReplyBatch.Entry("a", new byte[] {7}),
                                new ReplyBatch.Entry("b", new byte[] {8, 9})));
        List<String> ids = new ArrayList<>();

        assertThatThrownBy(
                        () ->
                                ReplyBatch.decode(
                                        new ByteArrayInputStream(
                                                Arrays.copyOf(body, body.length - 1)),
                                        (id, r) -> ids.add(new String(id, StandardCharsets.UTF_8)),
                                        1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reply batch entry 1: the stream ended inside the result");
        assertThat(ids).containsExactly("a");
    }

    @Test
    void aStreamThatEndsBetweenAnIdAndItsResultFailsAtThatEntry() {
        byte[] body = ReplyBatch.encode(List.of(new ReplyBatch.Entry("a", new byte[] {7})));

        assertThatThrownBy(
                        () ->
                                ReplyBatch.decode(
                                        new ByteArrayInputStream(Arrays.copyOf(body, 5)),
                                        (id, r) -> {},
                                        1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reply batch entry 0: the stream ended inside the result");
    }

    @Test
    void aStreamedFieldOverTheLimitIsRefusedBeforeItIsRead() {
        byte[] body = ReplyBatch.encode(List.of(new ReplyBatch.Entry("a", new byte[2_000])));

        assertThatThrownBy(
                        () ->
                                ReplyBatch.decode(
                                        new ByteArrayInputStream(body), (id, r) -> {}, 1_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reply batch entry 0: result of 2000 bytes, over the limit of 1000");
    }
}
