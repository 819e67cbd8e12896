package org.bellwether.cli;

import java.util.Locale;
import picocli.CommandLine;

/**
 * patronictl's {@code -r/--role} choices. {@code leader} is whoever holds the lock; {@code primary} and
 * {@code standby-leader} narrow it to a normal or a standby cluster's leader; {@code replica} and {@code standby}
 * both mean every member but the leader; {@code master} is accepted as patronictl 3 did, meaning {@code primary}.
 */
enum CtlRole {
    LEADER("leader"),
    PRIMARY("primary"),
    STANDBY_LEADER("standby-leader"),
    REPLICA("replica"),
    STANDBY("standby"),
    ANY("any");

    final String wire;

    CtlRole(String wire) {
        this.wire = wire;
    }

    boolean isLeaderRole() {
        return this == LEADER || this == PRIMARY || this == STANDBY_LEADER;
    }

    @Override
    public String toString() {
        return wire;
    }

    /** Picocli converter with patronictl's error text for a bad choice. */
    static final class Converter implements CommandLine.ITypeConverter<CtlRole> {
        @Override
        public CtlRole convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.equals("master")) {
                return PRIMARY;
            }
            for (CtlRole r : values()) {
                if (r.wire.equals(v)) {
                    return r;
                }
            }
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not one of 'leader', 'primary', 'standby-leader', 'replica', 'standby', 'any'");
        }
    }
}
