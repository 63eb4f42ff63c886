package dev.flowfn.deploy.control;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Turns usage into a cost estimate: a price per million invocations and per GB-second (the defaults
 * are AWS Lambda's x86 list prices). Set {@code FLOWFN_PRICE_PER_MILLION} and {@code
 * FLOWFN_PRICE_PER_GB_SECOND} in the environment of the control server to change them.
 */
public record PriceTable(BigDecimal perMillionInvocations, BigDecimal perGbSecond) {

    public static final PriceTable DEFAULT =
            new PriceTable(new BigDecimal("0.20"), new BigDecimal("0.0000166667"));

    public static PriceTable fromEnvironment() {
        return new PriceTable(
                decimal("FLOWFN_PRICE_PER_MILLION", DEFAULT.perMillionInvocations),
                decimal("FLOWFN_PRICE_PER_GB_SECOND", DEFAULT.perGbSecond));
    }

    /** GB-seconds from the exact MB x ms sum. */
    public static BigDecimal gbSeconds(long mbMs) {
        return BigDecimal.valueOf(mbMs)
                .divide(BigDecimal.valueOf(1024L * 1000L), MathContext.DECIMAL64);
    }

    public BigDecimal cost(long invocations, long mbMs) {
        return BigDecimal.valueOf(invocations)
                .multiply(perMillionInvocations)
                .divide(BigDecimal.valueOf(1_000_000))
                .add(gbSeconds(mbMs).multiply(perGbSecond))
                .round(MathContext.DECIMAL64);
    }

    private static BigDecimal decimal(String env, BigDecimal fallback) {
        String v = System.getenv(env);
        try {
            return v == null || v.isBlank() ? fallback : new BigDecimal(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    env + "='" + v + "' is not a decimal number, e.g. 0.20");
        }
    }
}
