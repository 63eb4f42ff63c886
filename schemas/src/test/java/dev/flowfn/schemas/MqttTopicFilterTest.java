package dev.flowfn.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MqttTopicFilterTest {

    @Test
    void wildcardsMatchAsTheSpecSays() {
        assertThat(MqttTopicFilter.matches("devices/+/logs", "devices/s7/logs")).isTrue();
        assertThat(MqttTopicFilter.matches("devices/+/logs", "devices/s7/logs/x")).isFalse();
        assertThat(MqttTopicFilter.matches("devices/+/logs", "devices//logs")).isTrue();
        assertThat(MqttTopicFilter.matches("devices/#", "devices")).isTrue();
        assertThat(MqttTopicFilter.matches("devices/#", "devices/a/b/c")).isTrue();
        assertThat(MqttTopicFilter.matches("#", "anything/at/all")).isTrue();
        assertThat(MqttTopicFilter.matches("#", "$SYS/broker")).isFalse();
        assertThat(MqttTopicFilter.matches("a/b", "a/b")).isTrue();
        assertThat(MqttTopicFilter.matches("a/b", "a/c")).isFalse();
        assertThat(MqttTopicFilter.matches("a/+", "a")).isFalse();
    }

    @Test
    void badFiltersAreNamed() {
        assertThat(MqttTopicFilter.problem("devices/+/logs")).isNull();
        assertThat(MqttTopicFilter.problem("devices/#/logs")).contains("# must be");
        assertThat(MqttTopicFilter.problem("devices/a+/logs")).contains("+ must be");
        assertThat(MqttTopicFilter.problem("")).contains("1 to 65535");
        assertThat(MqttTopicFilter.level("devices/s7/logs", 1)).isEqualTo("s7");
        assertThat(MqttTopicFilter.level("devices", 1)).isNull();
    }
}
