package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class JarSchemasTest {

    private static final String READING =
            "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"acme\","
                    + "\"fields\":[{\"name\":\"device\",\"type\":\"string\"}]}";

    @Test
    void findsTheFunctionsSchemasAndSkipsAvrosOwn() throws IOException {
        byte[] jar =
                jar(
                        "acme/Reading.avsc", READING,
                        "org/apache/avro/data/Json.avsc", "{\"type\":\"string\"}",
                        "acme/Fn.class", "not a schema, not looked at");

        JarSchemas.Found found = JarSchemas.in(jar);

        assertThat(found.names()).containsExactly("acme.Reading");
        assertThat(found.problems()).isEmpty();
    }

    @Test
    void aBrokenSchemaIsReportedWithItsEntryAndTheFix() throws IOException {
        byte[] jar = jar("acme/Broken.avsc", "{\"type\":\"record\"", "acme/Reading.avsc", READING);

        JarSchemas.Found found = JarSchemas.in(jar);

        assertThat(found.names()).containsExactly("acme.Reading");
        assertThat(found.problems())
                .singleElement()
                .asString()
                .startsWith("acme/Broken.avsc in the jar is not an Avro schema")
                .contains("fix the file");
    }

    private static byte[] jar(String... entriesAndTexts) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < entriesAndTexts.length; i += 2) {
                zip.putNextEntry(new ZipEntry(entriesAndTexts[i]));
                zip.write(entriesAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
