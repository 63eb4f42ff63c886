package dev.flowfn.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.api.Result;
import dev.flowfn.api.testing.TestContext;
import dev.flowfn.api.testing.TestEvent;
import org.junit.jupiter.api.Test;

class UpperTest {

    @Test
    void upperCasesAJsonString() {
        Result r = new Upper().handle(TestEvent.json("\"hello\""), TestContext.create());
        assertThat(r.dataAsString()).isEqualTo("\"HELLO\"");
        assertThat(r.contentType()).contains("application/json");
    }

    @Test
    void plainBytesBecomeText() {
        Result r =
                new Upper().handle(TestEvent.builder().data("abc").build(), TestContext.create());
        assertThat(r.dataAsString()).isEqualTo("ABC");
        assertThat(r.contentType()).contains("text/plain");
    }
}
