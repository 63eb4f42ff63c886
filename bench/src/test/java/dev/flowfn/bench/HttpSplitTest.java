package dev.flowfn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpSplitTest {

    @Test
    void splitsTheTwoHundredsInThreePartsAndSaysWhereTheSlowestPercentWaited() {
        List<HttpScenario.Answer> answers = new ArrayList<>();
        // 99 quick answers: 0.5 ms to the gateway, 1 ms to the function, 1 ms back
        for (int i = 0; i < 99; i++) {
            answers.add(new HttpScenario.Answer(200, 2_500, 500, 1_500));
        }
        // the slowest: 40 ms between the gateway and the function's start
        answers.add(new HttpScenario.Answer(200, 43_000, 1_000, 41_000));
        // not counted: a 404, no answer, an answer without times, and times out of order
        answers.add(new HttpScenario.Answer(404, 500));
        answers.add(HttpScenario.Answer.NONE);
        answers.add(new HttpScenario.Answer(200, 3_000));
        answers.add(new HttpScenario.Answer(200, 3_000, 2_000, 1_000));
        answers.add(new HttpScenario.Answer(200, 3_000, 1_000, 5_000));
        answers.add(new HttpScenario.Answer(200, 3_000, -1_001, 1_000));

        HttpScenario.Split split = HttpScenario.Split.of(answers);

        assertThat(split.parts()[0]).hasSize(100).startsWith(500).endsWith(1_000);
        assertThat(split.parts()[1]).hasSize(100).startsWith(1_000).endsWith(40_000);
        assertThat(split.parts()[2]).hasSize(100).startsWith(1_000).endsWith(2_000);
        assertThat(split.slowestMedianMs()).containsExactly(1.0, 40.0, 2.0);
    }

    @Test
    void anEventTimeUpToAMillisecondBeforeTheSendCountsAsNoTimeToTheGateway() {
        HttpScenario.Split split =
                HttpScenario.Split.of(List.of(new HttpScenario.Answer(200, 2_500, -900, 1_500)));

        assertThat(split.parts()[0]).containsExactly(0);
        assertThat(split.parts()[1]).containsExactly(1_500);
    }

    @Test
    void fewerThanAHundredAnswersHaveNoSlowestPercent() {
        HttpScenario.Split split =
                HttpScenario.Split.of(List.of(new HttpScenario.Answer(200, 2_500, 500, 1_500)));

        assertThat(split.parts()[1]).containsExactly(1_000);
        assertThat(split.slowestMedianMs()[1]).isNaN();
    }
}
