package org.bellwether.core.ha;

/**
 * Physical replication slot names for members, as Patroni derives them: lower case, {@code -} and {@code .} become
 * {@code _}, any other character outside {@code [a-z0-9_]} becomes {@code u} and its code point as four decimal
 * digits, and the result is cut to 63 characters (PostgreSQL's NAMEDATALEN - 1).
 */
public final class SlotNames {
    private SlotNames() {}

    public static String forMember(String memberName) {
        StringBuilder slot = new StringBuilder();
        memberName.toLowerCase(java.util.Locale.ROOT).codePoints().forEach(c -> {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                slot.appendCodePoint(c);
            } else if (c == '-' || c == '.') {
                slot.append('_');
            } else {
                slot.append('u').append(String.format("%04d", c));
            }
        });
        return slot.length() > 63 ? slot.substring(0, 63) : slot.toString();
    }
}
