package dev.flowfn.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TriggerSpecsTest {

    @Test
    void parsesAKafkaTrigger() {
        Trigger t = TriggerSpecs.parse("kafka:topic=words");
        assertThat(t.getKind()).isEqualTo("kafka");
        assertThat(t.getParams()).containsEntry("topic", "words");
        assertThat(t.getText()).isEqualTo("kafka:topic=words");
    }

    @Test
    void parsesAnHttpTriggerWithDefaults() {
        Trigger t = TriggerSpecs.parse("http:route=/u/{user},methods=get|POST");
        assertThat(t.getParams())
                .containsEntry("route", "/u/{user}")
                .containsEntry("methods", "GET|POST")
                .containsEntry("auth", "key");
        assertThat(TriggerSpecs.parse("http:route=/,auth=anonymous").getParams())
                .containsEntry("methods", "GET");
    }

    @Test
    void parsesStorageMqttAndCronTriggersWithDefaults() {
        assertThat(TriggerSpecs.parse("s3:bucket=photos,prefix=uploads/,suffix=.jpg").getParams())
                .containsEntry("bucket", "photos")
                .containsEntry("prefix", "uploads/")
                .containsEntry("events", "put");
        assertThat(TriggerSpecs.parse("mqtt:topic=devices/+/logs").getParams())
                .containsEntry("qos", "1")
                .containsEntry("device", "1");
        assertThat(TriggerSpecs.parse("mqtt:topic=plant/#,qos=2").getParams())
                .doesNotContainKey("device");
        assertThat(TriggerSpecs.parse("cron:expr=*/5 * * * *,tz=Asia/Shanghai").getParams())
                .containsEntry("expr", "*/5 * * * *")
                .containsEntry("tz", "Asia/Shanghai")
                .containsEntry("catchup", "latest");
        assertThat(TriggerSpecs.parse("cron:expr=0,30 9-17 * * 1-5").getParams())
                .containsEntry("expr", "0,30 9-17 * * 1-5")
                .containsEntry("tz", "UTC");
        assertThat(TriggerSpecs.parse("cron:expr=0 0/5 * * * ?,catchup=all").getParams())
                .containsEntry("catchup", "all");
    }

    @Test
    void rejectsBadStorageMqttAndCronTriggers() {
        assertThatThrownBy(() -> TriggerSpecs.parse("s3:bucket=Photos"))
                .hasMessageContaining("not a valid S3 bucket name");
        assertThatThrownBy(() -> TriggerSpecs.parse("s3:bucket=photos,events=update"))
                .hasMessageContaining("events 'update'");
        assertThatThrownBy(() -> TriggerSpecs.parse("mqtt:topic=a/#/b"))
                .hasMessageContaining("# must be");
        assertThatThrownBy(() -> TriggerSpecs.parse("mqtt:topic=a/+,qos=3"))
                .hasMessageContaining("qos must be");
        assertThatThrownBy(() -> TriggerSpecs.parse("mqtt:topic=a/+,device=5"))
                .hasMessageContaining("0-based index");
        assertThatThrownBy(() -> TriggerSpecs.parse("cron:expr=* * *"))
                .hasMessageContaining("has 3 fields");
        assertThatThrownBy(() -> TriggerSpecs.parse("cron:expr=61 * * * *"))
                .hasMessageContaining("not valid UNIX cron");
        assertThatThrownBy(() -> TriggerSpecs.parse("cron:expr=* * * * *,tz=Mars/Olympus"))
                .hasMessageContaining("not a time zone");
        assertThatThrownBy(() -> TriggerSpecs.parse("cron:expr=* * * * *,catchup=some"))
                .hasMessageContaining("catchup must be");
    }

    @Test
    void rejectsWhatCannotWork() {
        assertThatThrownBy(() -> TriggerSpecs.parse("words")).hasMessageContaining("has no kind");
        assertThatThrownBy(() -> TriggerSpecs.parse("kafka:")).hasMessageContaining("needs topic=");
        assertThatThrownBy(() -> TriggerSpecs.parse("kafka:topc=words"))
                .hasMessageContaining("unknown parameter 'topc'");
        assertThatThrownBy(() -> TriggerSpecs.parse("kafka:topic=flowfn.results"))
                .hasMessageContaining("internal");
        assertThatThrownBy(() -> TriggerSpecs.parse("kafka:topic=a b"))
                .hasMessageContaining("not a valid Kafka topic");
        assertThatThrownBy(() -> TriggerSpecs.parse("nats:subject=x"))
                .hasMessageContaining("available:");
        assertThatThrownBy(() -> TriggerSpecs.parse("http:route=u/x"))
                .hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> TriggerSpecs.parse("http:route=/u/{us er}"))
                .hasMessageContaining("segment '{us er}'");
        assertThatThrownBy(() -> TriggerSpecs.parse("http:route=/x,methods=GET|FETCH"))
                .hasMessageContaining("method 'FETCH'");
        assertThatThrownBy(() -> TriggerSpecs.parse("http:route=/x,auth=open"))
                .hasMessageContaining("auth must be key");
    }

    @Test
    void everyKindTakesAnAliasOrAVersion() {
        assertThat(TriggerSpecs.qualifier(TriggerSpecs.parse("kafka:topic=orders,alias=prod")))
                .isEqualTo("prod");
        assertThat(TriggerSpecs.qualifier(TriggerSpecs.parse("http:route=/x,version=3")))
                .isEqualTo("3");
        assertThat(TriggerSpecs.qualifier(TriggerSpecs.parse("s3:bucket=photos"))).isNull();
        assertThatThrownBy(() -> TriggerSpecs.parse("kafka:topic=a,alias=prod,version=3"))
                .hasMessageContaining("keep one");
        assertThatThrownBy(() -> TriggerSpecs.parse("kafka:topic=a,version=prod"))
                .hasMessageContaining("name an alias with alias=prod");
        assertThatThrownBy(() -> TriggerSpecs.parse("kafka:topic=a,alias=latest"))
                .hasMessageContaining("not be 'latest'");
    }

    @Test
    void functionRulesNameTheBadValue() {
        assertThat(FunctionSpecRules.name("upper-2")).isEqualTo("upper-2");
        assertThatThrownBy(() -> FunctionSpecRules.name("My Func"))
                .hasMessageContaining("'My Func' must match");
        assertThatThrownBy(() -> FunctionSpecRules.memoryMb(10))
                .hasMessageContaining("memory 10 MB is out of range");
        assertThatThrownBy(() -> FunctionSpecRules.handler("not a class"))
                .hasMessageContaining("fully qualified");
        assertThatThrownBy(() -> FunctionSpecRules.envName("1X")).hasMessageContaining("'1X'");
    }

    @Test
    void parsesAlertRules() {
        AlertRule rate = AlertRule.parse("error-rate>5%/5m");
        assertThat(rate.metric()).isEqualTo(AlertRule.Metric.ERROR_RATE);
        assertThat(rate.threshold()).isEqualTo(0.05);
        assertThat(rate.period()).isEqualTo(Duration.ofMinutes(5));
        assertThat(rate.breached(new AlertRule.Sums(100, 6, 0, 0, 0))).isTrue();
        assertThat(rate.breached(new AlertRule.Sums(100, 5, 0, 0, 0))).isFalse();
        assertThat(rate.measured(new AlertRule.Sums(200, 30, 0, 0, 0))).isEqualTo("15.0%");
        assertThat(AlertRule.parse("p99>2s/5m").threshold()).isEqualTo(2000);
        assertThat(AlertRule.parse("p99>2s/5m").breached(new AlertRule.Sums(1, 0, 0, 0, 2001)))
                .isTrue();
        assertThat(AlertRule.parse("dead-letters>0/5m").breached(new AlertRule.Sums(5, 5, 0, 1, 0)))
                .isTrue();
        AlertRule quiet = AlertRule.parse("invocations<1/10m");
        assertThat(quiet.breached(new AlertRule.Sums(0, 0, 0, 0, 0))).isTrue();
        assertThat(quiet.breached(new AlertRule.Sums(3, 0, 0, 0, 0))).isFalse();
        assertThatThrownBy(() -> AlertRule.parse("errors<1/5m"))
                .hasMessageContaining("only invocations");
        assertThatThrownBy(() -> AlertRule.parse("latency>5/5m"))
                .hasMessageContaining("not understood");
        assertThatThrownBy(() -> AlertRule.parse("error-rate>5/5m"))
                .hasMessageContaining("percentage");
        assertThatThrownBy(() -> AlertRule.parse("p99>5/5m"))
                .hasMessageContaining("takes a duration");
    }

    @Test
    void parsesDurationsAsUsersWriteThem() {
        assertThat(FunctionSpecRules.parseDuration("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(FunctionSpecRules.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(FunctionSpecRules.parseDuration("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(FunctionSpecRules.parseDuration("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> FunctionSpecRules.parseDuration("5 seconds"))
                .hasMessageContaining("'5 seconds'");
        assertThatThrownBy(() -> FunctionSpecRules.timeout(Duration.ZERO))
                .hasMessageContaining("out of range");
    }
}
