package org.bellwether.core.status;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a byte count the way Patroni reads {@code ?lag=}: a plain number of bytes, or a number with PostgreSQL's
 * memory units ({@code B}, {@code kB}, {@code MB}, {@code GB}, {@code TB}; case-sensitive, powers of 1024, as in
 * {@code postgresql.conf}).
 */
public final class ByteSize {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*([A-Za-z]*)\\s*");
    private static final Map<String, Long> UNITS =
            Map.of("", 1L, "B", 1L, "kB", 1L << 10, "MB", 1L << 20, "GB", 1L << 30, "TB", 1L << 40);

    private ByteSize() {}

    /**
     * @throws IllegalArgumentException naming the value when it is not a non-negative size that fits in a long
     */
    public static long parse(String text) {
        Matcher m = FORM.matcher(text);
        Long unit = m.matches() ? UNITS.get(m.group(2)) : null;
        if (unit == null) {
            throw new IllegalArgumentException(
                    "expected a number of bytes or a size such as 16kB, 64MB, 1GB, got '" + text + "'");
        }
        BigDecimal bytes =
                new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)).setScale(0, RoundingMode.HALF_EVEN);
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
        return bytes.longValueExact();
    }
}
