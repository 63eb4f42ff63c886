package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ApiAuthFilterTest {

    private final ConsoleSessions sessions =
            new ConsoleSessions(Duration.ofHours(1), Clock.systemUTC());
    private final ApiAuthFilter filter =
            new ApiAuthFilter(new BearerTokenFilter("s3cret"), sessions);

    @Test
    void theBearerTokenPassesAsBefore() {
        assertThatCode(() -> filter.check("Bearer s3cret", null, null)).doesNotThrowAnyException();
    }

    @Test
    void aConsoleSessionWithTheConsoleHeaderPasses() {
        String cookie = "flowfn_session=" + sessions.create();

        assertThatCode(() -> filter.check(null, cookie, "1")).doesNotThrowAnyException();
    }

    @Test
    void aConsoleSessionWithoutTheHeaderIsA403() {
        String cookie = "flowfn_session=" + sessions.create();

        assertThatThrownBy(() -> filter.check(null, cookie, null))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(403))
                .hasMessageContaining("X-Flowfn-Console: 1");
    }

    @Test
    void anEndedOrMadeUpSessionIsA401() {
        String id = sessions.create();
        sessions.end(id);

        for (String cookie : new String[] {"flowfn_session=" + id, "flowfn_session=guess", null}) {
            assertThatThrownBy(() -> filter.check(null, cookie, "1"))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
        }
    }

    @Test
    void aWrongBearerTokenIsRefusedEvenWithALiveSession() {
        String cookie = "flowfn_session=" + sessions.create();

        assertThatThrownBy(() -> filter.check("Bearer nope", cookie, "1"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    }
}
