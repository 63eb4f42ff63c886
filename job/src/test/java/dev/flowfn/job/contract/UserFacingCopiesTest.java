package dev.flowfn.job.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.api.HttpRequest;
import dev.flowfn.api.OutgoingEvent;
import dev.flowfn.api.testing.TestEvent;
import dev.flowfn.schemas.contract.EventExtensions;
import dev.flowfn.schemas.contract.EventTypes;
import org.junit.jupiter.api.Test;

/**
 * functions-api depends on the JDK alone, so it keeps its own copies of the contract names a user
 * sees (CONTRACTS.md, "The user-facing copies"); they must equal the contract's.
 */
class UserFacingCopiesTest {

    @Test
    void httpRequestNamesAreTheContracts() {
        assertThat(HttpRequest.TYPE).isEqualTo(EventTypes.HTTP_REQUEST);
        assertThat(HttpRequest.METHOD).isEqualTo(EventExtensions.HTTP_METHOD);
        assertThat(HttpRequest.PATH).isEqualTo(EventExtensions.HTTP_PATH);
        assertThat(HttpRequest.ROUTE).isEqualTo(EventExtensions.HTTP_ROUTE);
        assertThat(HttpRequest.REMOTE).isEqualTo(EventExtensions.HTTP_REMOTE);
        assertThat(HttpRequest.PARAMS).isEqualTo(EventExtensions.HTTP_PARAMS);
        assertThat(HttpRequest.QUERY).isEqualTo(EventExtensions.HTTP_QUERY);
        assertThat(HttpRequest.HEADERS).isEqualTo(EventExtensions.HTTP_HEADERS);
    }

    @Test
    void aRecordForAUsersTopicAndTheTestKitsDefaultUseTheContractsTypes() {
        assertThat(OutgoingEvent.record("words", null, new byte[0]).type())
                .isEqualTo(EventTypes.KAFKA_RECORD);
        assertThat(TestEvent.builder().build().type()).isEqualTo(EventTypes.FLOWFN_INVOKE);
    }
}
