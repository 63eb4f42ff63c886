package dev.flowfn.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class JobOptionsTest {

    private static final Map<String, String> ENV =
            Map.of(
                    JobOptions.S3_ACCESS_KEY_ENV, "env-access",
                    JobOptions.S3_SECRET_KEY_ENV, "env-secret");

    @Test
    void takesTheCodeStoreKeysFromTheEnvironmentWhenTheArgumentsHaveNone() {
        Configuration conf = JobOptions.withEnvironmentKeys(new Configuration(), ENV);
        assertThat(conf.get(JobOptions.S3_ACCESS_KEY)).isEqualTo("env-access");
        assertThat(conf.get(JobOptions.S3_SECRET_KEY)).isEqualTo("env-secret");
    }

    @Test
    void argumentsWinOverTheEnvironment() {
        Configuration args = new Configuration();
        args.set(JobOptions.S3_ACCESS_KEY, "arg-access");
        args.set(JobOptions.S3_SECRET_KEY, "arg-secret");
        Configuration conf = JobOptions.withEnvironmentKeys(args, ENV);
        assertThat(conf.get(JobOptions.S3_ACCESS_KEY)).isEqualTo("arg-access");
        assertThat(conf.get(JobOptions.S3_SECRET_KEY)).isEqualTo("arg-secret");
    }

    @Test
    void aBlankVariableIsNoKey() {
        Configuration conf =
                JobOptions.withEnvironmentKeys(
                        new Configuration(), Map.of(JobOptions.S3_SECRET_KEY_ENV, " "));
        assertThat(conf.contains(JobOptions.S3_SECRET_KEY)).isFalse();
    }
}
