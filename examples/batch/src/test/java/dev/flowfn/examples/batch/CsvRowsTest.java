package dev.flowfn.examples.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.api.testing.TestEvent;
import java.time.Instant;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class CsvRowsTest {

    @Test
    void typedColumnsParseAndQuotesHoldCommas() throws Exception {
        CsvRows rows = new CsvRows("id:long,amount:double,paid:boolean,customer", "Row");
        GenericRecord r = rows.parse("7,12.5,true,\"Smith, \"\"J\"\"\"");
        assertThat(r.get("id")).isEqualTo(7L);
        assertThat(r.get("amount")).isEqualTo(12.5);
        assertThat(r.get("paid")).isEqualTo(true);
        assertThat(r.get("customer")).isEqualTo("Smith, \"J\"");
    }

    @Test
    void badRowsAreRejectedWithAReason() throws Exception {
        CsvRows rows = new CsvRows("id:long,amount:double", "Row");
        assertThatThrownBy(() -> rows.parse("1")).hasMessage("has 1 fields, the header has 2");
        assertThatThrownBy(() -> rows.parse("x,1.0")).hasMessage("column id: 'x' is not a long");
        assertThatThrownBy(() -> rows.parse("1,\"2.0")).hasMessage("a quoted field is not closed");
        assertThatThrownBy(() -> new CsvRows("id:date", "Row"))
                .hasMessageContaining("use string, long, int, double or boolean");
        assertThatThrownBy(() -> new CsvRows("my id", "Row"))
                .hasMessageContaining("is not a valid name");
    }

    @Test
    void theObjectComesFromTheS3EventOrItsData() {
        assertThat(
                        ImportCsv.object(
                                TestEvent.builder()
                                        .extension("s3bucket", "imports")
                                        .extension("s3key", "a/b.csv")
                                        .build()))
                .containsExactly("imports", "a/b.csv");
        assertThat(
                        ImportCsv.object(
                                TestEvent.builder()
                                        .data(
                                                "{\"bucket\":\"imports\",\"key\":\"c.csv\",\"size\":3}")
                                        .build()))
                .containsExactly("imports", "c.csv");
        assertThatThrownBy(() -> ImportCsv.object(TestEvent.builder().id("e1").data("{}").build()))
                .hasMessageContaining("ImportCsv runs on s3: triggers");
    }

    @Test
    void exportNamesTheObjectByItsRangeFromTheTick() {
        Instant to =
                ExportTopic.scheduledTime(
                        TestEvent.builder()
                                .type("timer.tick")
                                .data(
                                        "{\"scheduledTime\":\"2026-11-24T10:00:00Z\",\"expr\":\"0 * * * *\"}")
                                .build());
        assertThat(to).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
        assertThat(ExportTopic.objectKey("iot/", to.minusSeconds(3600), to))
                .isEqualTo("iot/2026-11-24T090000Z--2026-11-24T100000Z.avro");
    }
}
