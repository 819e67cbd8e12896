package org.bellwether.core;

/**
 * A PostgreSQL write-ahead log position. Patroni stores LSNs in the DCS as plain integers (bytes), PostgreSQL prints
 * them as {@code X/Y} (two hexadecimal halves); this type speaks both.
 */
public record Lsn(long value) implements Comparable<Lsn> {
    public static final Lsn ZERO = new Lsn(0);

    public Lsn {
        if (value < 0) {
            throw new IllegalArgumentException("LSN must not be negative: " + value);
        }
    }

    /** Parses PostgreSQL's {@code X/Y} text form, e.g. {@code 0/3000060}. */
    public static Lsn parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not an LSN (expected X/Y in hexadecimal): '" + text + "'");
        }
        try {
            long high = Long.parseLong(text.substring(0, slash), 16);
            long low = Long.parseLong(text.substring(slash + 1), 16);
            return new Lsn((high << 32) | low);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an LSN (expected X/Y in hexadecimal): '" + text + "'", e);
        }
    }

    public boolean isAfter(Lsn other) {
        return value > other.value;
    }

    /** Bytes from {@code other} up to this position; negative when {@code other} is ahead. */
    public long minus(Lsn other) {
        return value - other.value;
    }

    public static Lsn max(Lsn a, Lsn b) {
        return a.value >= b.value ? a : b;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return String.format("%X/%X", value >>> 32, value & 0xFFFFFFFFL);
    }
}
