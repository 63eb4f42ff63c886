package dev.flowfn.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** {@link EncodeBuffer} writes, value for value, the bytes of Avro's own binary encoder. */
class EncodeBufferTest {

    private interface Writes {
        void to(Encoder out) throws IOException;
    }

    private static final Writes EVERY_KIND =
            out -> {
                for (int n :
                        new int[] {
                            0, 1, -1, 63, -64, 64, 8191, -8193, Integer.MAX_VALUE, Integer.MIN_VALUE
                        }) {
                    out.writeInt(n);
                }
                for (long n :
                        new long[] {0, -1, 1L << 35, -(1L << 49), Long.MAX_VALUE, Long.MIN_VALUE}) {
                    out.writeLong(n);
                }
                out.writeBoolean(true);
                out.writeBoolean(false);
                out.writeFloat(-1.5f);
                out.writeFloat(Float.NaN);
                out.writeDouble(Math.PI);
                out.writeDouble(Double.NEGATIVE_INFINITY);
                out.writeString("");
                out.writeString("ascii");
                out.writeString("ü, 日本, \u0000, 😀");
                out.writeBytes(ByteBuffer.wrap(new byte[] {9, 8, 7}, 1, 2));
                out.writeBytes(new byte[0], 0, 0);
                out.writeFixed(new byte[2_000], 0, 2_000); // past the first array's 512 bytes
                out.writeEnum(3);
                out.writeIndex(1);
                out.writeMapStart();
                out.setItemCount(2);
                out.startItem();
                out.writeString("k");
                out.startItem();
                out.writeNull();
                out.writeMapEnd();
                out.writeArrayStart();
                out.setItemCount(0);
                out.writeArrayEnd();
            };

    @Test
    void everyKindOfValueTakesAvrosBytes() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        BinaryEncoder avro = EncoderFactory.get().binaryEncoder(expected, null);
        EVERY_KIND.to(avro);
        avro.flush();

        EncodeBuffer buffer = new EncodeBuffer();
        EVERY_KIND.to(buffer);
        assertThat(buffer.toByteArray()).isEqualTo(expected.toByteArray());

        buffer.reset();
        EVERY_KIND.to(buffer);
        assertThat(buffer.toByteArray()).as("reused").isEqualTo(expected.toByteArray());
    }
}
