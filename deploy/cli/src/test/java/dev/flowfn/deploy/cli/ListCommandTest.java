package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.control.api.FunctionSummary;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListCommandTest {

    private static FunctionSummary function(String name, String handler, List<String> triggers) {
        return new FunctionSummary(name, 12, 512, "30s", handler, triggers);
    }

    @Test
    void theTableHasTheColumnsOfItsFormat() {
        List<FunctionSummary> functions = new ArrayList<>();
        functions.add(function("hello", "dev.flowfn.examples.hello.Upper", List.of()));
        functions.add(
                function(
                        "a-name-longer-than-its-column",
                        "dev.flowfn.examples.AVeryLongHandlerClassNameIndeed",
                        List.of("kafka:topic=words", "cron:expr=* * * * *")));
        String format = "%-24s %7s  %-6s %-8s  %-40s  %s%n";
        StringBuilder expected =
                new StringBuilder(
                        String.format(
                                format,
                                "NAME",
                                "VERSION",
                                "MEMORY",
                                "TIMEOUT",
                                "HANDLER",
                                "TRIGGERS"));
        for (FunctionSummary f : functions) {
            expected.append(
                    String.format(
                            format,
                            f.name(),
                            f.version(),
                            f.memoryMb(),
                            f.timeout(),
                            f.handler(),
                            String.join(" ", f.triggers())));
        }

        assertThat(ListCommand.table(functions)).isEqualTo(expected.toString());
    }
}
