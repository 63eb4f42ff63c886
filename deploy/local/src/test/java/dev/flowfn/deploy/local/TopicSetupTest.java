package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicSetupTest {

    @Test
    void topicsGetThreeCopiesOrOnePerBrokerBelowThat() {
        assertThat(TopicSetup.replicas(1)).isEqualTo((short) 1);
        assertThat(TopicSetup.replicas(2)).isEqualTo((short) 2);
        assertThat(TopicSetup.replicas(3)).isEqualTo((short) 3);
        assertThat(TopicSetup.replicas(7)).isEqualTo((short) 3);
    }
}
