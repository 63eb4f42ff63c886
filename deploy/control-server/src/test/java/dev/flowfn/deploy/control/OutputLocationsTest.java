package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.schemas.InvalidSpecException;
import dev.flowfn.schemas.TriggerSpecs;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputLocationsTest {

    private static List<String> warnings(String trigger, String... outputs) {
        return OutputLocations.loopWarnings(List.of(TriggerSpecs.parse(trigger)), List.of(outputs));
    }

    @Test
    void normalizesLocations() {
        assertThat(OutputLocations.parse(" s3://photos/thumbs/ ")).isEqualTo("s3://photos/thumbs/");
        assertThat(OutputLocations.parse("s3://photos")).isEqualTo("s3://photos/");
        assertThatThrownBy(() -> OutputLocations.parse("photos/thumbs"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("--output s3://photos/thumbs/");
        assertThatThrownBy(() -> OutputLocations.parse("s3://x/"))
                .hasMessageContaining("not a valid S3 bucket name");
    }

    @Test
    void warnsWhenTheTriggerCoversTheOutput() {
        assertThat(warnings("s3:bucket=photos", "s3://photos/thumbs/")).hasSize(1);
        assertThat(warnings("s3:bucket=photos,prefix=thumbs/", "s3://photos/thumbs/small/"))
                .hasSize(1);
        assertThat(warnings("s3:bucket=photos,prefix=thumbs/small/", "s3://photos/thumbs/"))
                .as("the output covers the trigger's prefix")
                .hasSize(1);
        assertThat(warnings("s3:bucket=photos,suffix=.jpg", "s3://photos/"))
                .singleElement()
                .asString()
                .contains("if their names end in '.jpg'")
                .contains("Fix:");
    }

    @Test
    void noWarningForDisjointPrefixesOtherBucketsOrDeleteTriggers() {
        assertThat(warnings("s3:bucket=photos,prefix=uploads/", "s3://photos/thumbs/")).isEmpty();
        assertThat(warnings("s3:bucket=photos", "s3://thumbs/")).isEmpty();
        assertThat(warnings("s3:bucket=photos,events=delete", "s3://photos/thumbs/")).isEmpty();
        assertThat(warnings("kafka:topic=words", "s3://photos/")).isEmpty();
    }
}
