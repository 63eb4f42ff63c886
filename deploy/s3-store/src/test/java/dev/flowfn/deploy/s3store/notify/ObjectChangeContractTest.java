package dev.flowfn.deploy.s3store.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.schemas.contract.EventTypes;
import org.junit.jupiter.api.Test;

/**
 * The store runs in its own JVM without the schemas module, so it spells MinIO's event names
 * itself; they become Flowfn event types as they are, and must stay what the contract says.
 */
class ObjectChangeContractTest {

    @Test
    void theNotificationNamesAreTheContractsEventTypes() {
        assertThat(ObjectChange.PUT).isEqualTo(EventTypes.S3_OBJECT_CREATED_PUT);
        assertThat(ObjectChange.COPY).startsWith(EventTypes.S3_OBJECT_CREATED_PREFIX);
        assertThat(ObjectChange.COMPLETE_MULTIPART).startsWith(EventTypes.S3_OBJECT_CREATED_PREFIX);
        assertThat(ObjectChange.DELETE).startsWith(EventTypes.S3_OBJECT_REMOVED_PREFIX);
    }
}
