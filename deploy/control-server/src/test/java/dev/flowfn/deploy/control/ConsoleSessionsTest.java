package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-03-01T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final ConsoleSessions sessions = new ConsoleSessions(Duration.ofHours(1), clock);

    @Test
    void aNewSessionIsValidUntilItExpires() {
        String id = sessions.create();

        assertThat(sessions.isValid(id)).isTrue();
        clock.now = clock.now.plus(Duration.ofMinutes(59));
        assertThat(sessions.isValid(id)).isTrue();
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(sessions.isValid(id)).isFalse();
        assertThat(sessions.size()).as("an expired session is dropped when seen").isZero();
    }

    @Test
    void idsAreRandom43CharacterUrlSafeStrings() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(sessions.create());
        }
        assertThat(ids).hasSize(1000).allMatch(id -> id.matches("[A-Za-z0-9_-]{43}"));
    }

    @Test
    void unknownMissingAndEndedSessionsOpenNothing() {
        String id = sessions.create();
        sessions.end(id);

        assertThat(sessions.isValid(id)).isFalse();
        assertThat(sessions.isValid(null)).isFalse();
        assertThat(sessions.isValid("made-up")).isFalse();
        sessions.end(null); // signing out without a cookie is fine
    }

    @Test
    void expiredSessionsAreSweptOnTheNextSignIn() {
        sessions.create();
        sessions.create();
        clock.now = clock.now.plus(Duration.ofHours(2));

        sessions.create();

        assertThat(sessions.size()).isEqualTo(1);
    }

    @Test
    void itsStringShowsNoSessionId() {
        String id = sessions.create();

        assertThat(sessions.toString()).doesNotContain(id).contains("1 live");
    }

    @Test
    void aTtlMustBePositive() {
        assertThatThrownBy(() -> new ConsoleSessions(Duration.ZERO, clock))
                .hasMessageContaining("positive");
    }
}
