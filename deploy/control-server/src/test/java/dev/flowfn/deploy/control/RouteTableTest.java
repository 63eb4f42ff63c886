package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private final RouteTable table =
            RouteTable.of(
                    List.of(
                            TestSpecs.deployed("user", 1, "http:route=/u/{user},methods=GET|PUT"),
                            TestSpecs.deployed("me", 2, "http:route=/u/me,auth=anonymous"),
                            TestSpecs.deployed("root", 1, "http:route=/,methods=POST"),
                            TestSpecs.deployed("words", 1, "kafka:topic=words")));

    @Test
    void aParameterBindsItsSegment() {
        RouteTable.Match match = table.match("PUT", "/u/alice").orElseThrow();

        assertThat(match.route().spec().getName()).isEqualTo("user");
        assertThat(match.route().pattern()).isEqualTo("/u/{user}");
        assertThat(match.params()).isEqualTo(Map.of("user", "alice"));
        assertThat(match.route().anonymous()).isFalse();
    }

    @Test
    void aLiteralSegmentWinsOverAParameter() {
        RouteTable.Match match = table.match("GET", "/u/me").orElseThrow();

        assertThat(match.route().spec().getName()).isEqualTo("me");
        assertThat(match.params()).isEmpty();
        assertThat(match.route().anonymous()).isTrue();
    }

    @Test
    void aTrailingSlashIsTheSamePathAndTheRootHasNoSegments() {
        assertThat(table.match("GET", "/u/alice/").map(m -> m.route().spec().getName()))
                .contains("user");
        assertThat(table.match("POST", "/").map(m -> m.route().spec().getName())).contains("root");
        assertThat(RouteTable.segments("/")).isEmpty();
        assertThat(RouteTable.segments("/a/b/")).containsExactly("a", "b");
    }

    @Test
    void headIsServedByGetRoutes() {
        assertThat(table.match("HEAD", "/u/bob").map(m -> m.route().spec().getName()))
                .contains("user");
        assertThat(table.match("HEAD", "/")).isEmpty();
    }

    @Test
    void noMatchForOtherMethodsPathsOrEmptyParameters() {
        assertThat(table.match("DELETE", "/u/alice")).isEmpty();
        assertThat(table.match("GET", "/u")).isEmpty();
        assertThat(table.match("GET", "/u/alice/x")).isEmpty();
        assertThat(table.match("GET", "/u//")).isEmpty();
        assertThat(table.match("GET", "/v/alice")).isEmpty();
    }

    @Test
    void allowedListsTheMethodsOfEveryRouteOnThePath() {
        assertThat(table.allowed("/u/alice")).containsExactly("GET", "PUT");
        assertThat(table.allowed("/u/me")).containsExactly("GET", "PUT");
        assertThat(table.allowed("/nowhere")).isEmpty();
    }

    @Test
    void onlyHttpTriggersMakeRoutes() {
        assertThat(RouteTable.of(List.of(TestSpecs.deployed("w", 1, "kafka:topic=w"))).isEmpty())
                .isTrue();
        assertThat(table.isEmpty()).isFalse();
    }

    @Test
    void aRouteOfTheSameShapeAndASharedMethodConflicts() {
        assertThat(table.conflict(TestSpecs.deployed("other", 1, "http:route=/u/{id}")))
                .contains(
                        "route /u/{id} [GET] is already served by function 'user' (/u/{user});"
                                + " pick another route or delete that function");
    }

    @Test
    void noConflictWithOtherMethodsOtherShapesOrTheFunctionItself() {
        assertThat(
                        table.conflict(
                                TestSpecs.deployed("other", 1, "http:route=/u/{id},methods=POST")))
                .isEmpty();
        assertThat(table.conflict(TestSpecs.deployed("other", 1, "http:route=/u/{id}/x")))
                .isEmpty();
        assertThat(table.conflict(TestSpecs.deployed("user", 2, "http:route=/u/{name}"))).isEmpty();
    }
}
