package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTokenFilterTest {

    private final BearerTokenFilter filter = new BearerTokenFilter("s3cret");

    @Test
    void theTokenPasses() {
        assertThatCode(() -> filter.check("Bearer s3cret")).doesNotThrowAnyException();
        assertThatCode(() -> filter.check("Bearer  s3cret ")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {"", "Bearer ", "Bearer s3cre", "Bearer s3cretx", "s3cret", "Basic s3cret"})
    void anythingElseIsA401ThatSaysWhereTheTokenIs(String header) {
        assertThatThrownBy(() -> filter.check(header))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.status()).isEqualTo(401))
                .hasMessage(
                        "missing or wrong token: send 'Authorization: Bearer <token>'"
                                + " (flowfn local writes it to client.json in its data folder)");
    }

    @Test
    void itsStringLeavesTheTokenOut() {
        org.assertj.core.api.Assertions.assertThat(filter.toString()).doesNotContain("s3cret");
    }
}
