package org.bellwether.core;

/** The role a member publishes in its DCS key, spelled as Patroni spells it. */
public enum MemberRole {
    PRIMARY("primary"),
    REPLICA("replica"),
    STANDBY_LEADER("standby_leader"),
    DEMOTED("demoted"),
    PROMOTED("promoted"),
    UNINITIALIZED("uninitialized");

    private final String wire;

    MemberRole(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Reads a role from a member key; older Patroni versions say {@code master}. Unknown roles read as replica. */
    public static MemberRole fromWire(String text) {
        if (text == null) {
            return UNINITIALIZED;
        }
        if (text.equals("master")) {
            return PRIMARY;
        }
        for (MemberRole role : values()) {
            if (role.wire.equals(text)) {
                return role;
            }
        }
        return REPLICA;
    }
}
