package dev.flowfn.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FunctionAddressTest {

    @Test
    void aBareNameIsTheLatestVersion() {
        FunctionAddress a = FunctionAddress.parse("resize");
        assertThat(a.latest()).isTrue();
        assertThat(a.function()).isEqualTo("resize");
        assertThat(FunctionAddress.parse("resize:latest").latest()).isTrue();
    }

    @Test
    void aNumberIsAVersionAndANameIsAnAlias() {
        FunctionAddress v = FunctionAddress.parse("resize:3");
        assertThat(v.pinned()).isTrue();
        assertThat(v.version()).isEqualTo(3);
        assertThat(v.alias()).isNull();
        FunctionAddress a = FunctionAddress.parse("resize:prod");
        assertThat(a.pinned()).isFalse();
        assertThat(a.alias()).isEqualTo("prod");
        assertThat(a).hasToString("resize:prod");
    }

    @Test
    void badAddressesSayWhatIsRight() {
        assertThatThrownBy(() -> FunctionAddress.parse("resize:0"))
                .hasMessageContaining("versions start at 1");
        assertThatThrownBy(() -> FunctionAddress.parse("resize:Prod!"))
                .hasMessageContaining("a version number or an alias name");
        assertThatThrownBy(() -> FunctionAddress.parse("Resize:prod"))
                .hasMessageContaining("function name 'Resize'");
        assertThatThrownBy(() -> FunctionAddress.parse("")).hasMessageContaining("NAME:ALIAS");
    }
}
