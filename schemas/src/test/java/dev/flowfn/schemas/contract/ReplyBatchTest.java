package dev.flowfn.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyBatchTest {

    @Test
    void entriesComeBackInOrderWithTheirBytes() {
        List<ReplyBatch.Entry> sent =
                List.of(
                        new ReplyBatch.Entry("inv-1", new byte[] {1, 2, 3}),
                        new ReplyBatch.Entry("inv-é", new byte[0]),
                        new ReplyBatch.Entry("inv-3", new byte[300]));
        List<String> ids = new ArrayList<>();
        List<byte[]> results = new ArrayList<>();

        int count =
                ReplyBatch.decode(
                        ReplyBatch.encode(sent),
                        (id, result) -> {
                            ids.add(new String(id, StandardCharsets.UTF_8));
                            results.add(result);
                        });

        assertThat(count).isEqualTo(3);
        assertThat(ids).containsExactly("inv-1", "inv-é", "inv-3");
        assertThat(results.get(0)).containsExactly(1, 2, 3);
        assertThat(results.get(1)).isEmpty();
        assertThat(results.get(2)).hasSize(300);
    }

    @Test
    void anEmptyBodyHasNoEntries() {
        assertThat(ReplyBatch.decode(new byte[0], (id, r) -> {})).isZero();
    }

    @Test
    void aTruncatedBodyFailsAtTheEntryThatDoesNotFitAfterHandingOnTheOnesBefore() {
        byte[] body =
                ReplyBatch.encode(
                        List.of(
                                new ReplyBatch.Entry("a", new byte[] {7}),
                                new ReplyBatch.Entry("b", new byte[] {8, 9})));
        List<String> ids = new ArrayList<>();

        assertThatThrownBy(
                        () ->
                                ReplyBatch.decode(
                                        Arrays.copyOf(body, body.length - 1),
                                        (id, r) -> ids.add(new String(id, StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry 1")
                .hasMessageContaining("result of 2 bytes, 1 left");
        assertThat(ids).containsExactly("a");
    }
}
