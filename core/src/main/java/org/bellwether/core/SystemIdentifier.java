package org.bellwether.core;

/**
 * A PostgreSQL system identifier as the {@code initialize} key stores it: the decimal text of an unsigned 64-bit
 * number that initdb derives from the clock ({@code tv_sec << 32} and more), so a real one has at least ten digits.
 */
public final class SystemIdentifier {
    private SystemIdentifier() {}

    /**
     * Patroni's {@code Ha.sysid_valid} (at least ten digits), and no more than an unsigned 64-bit number can hold: a
     * value that fails this cannot be any data directory's identifier, so it is a broken key rather than another
     * cluster's.
     */
    public static boolean isValid(String text) {
        if (text == null || text.length() < 10 || text.length() > 20) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        try {
            Long.parseUnsignedLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
