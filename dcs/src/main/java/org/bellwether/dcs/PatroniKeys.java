package org.bellwether.dcs;

import java.util.Optional;

/**
 * Patroni's key names under a cluster's prefix ({@code /<namespace>/<scope>/}). Every DCS uses the same relative
 * names; only how the prefix maps onto the store differs.
 */
public final class PatroniKeys {
    public static final String INITIALIZE = "initialize";
    public static final String CONFIG = "config";
    public static final String LEADER = "leader";
    public static final String MEMBERS = "members/";
    public static final String STATUS = "status";
    /** Written by Patroni before 2.1.0 instead of {@link #STATUS}; still read as a fallback. */
    public static final String LEGACY_OPTIME = "optime/leader";

    public static final String HISTORY = "history";
    public static final String FAILOVER = "failover";
    public static final String SYNC = "sync";
    public static final String FAILSAFE = "failsafe";

    private final String prefix;

    /** @param prefix the cluster prefix, ending in {@code /} (e.g. {@code /service/demo/}) */
    public PatroniKeys(String prefix) {
        if (!prefix.endsWith("/")) {
            throw new IllegalArgumentException("a cluster prefix ends with '/': '" + prefix + "'");
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** The absolute key of a relative name, e.g. {@code leader} becomes {@code /service/demo/leader}. */
    public String key(String relative) {
        return prefix + relative;
    }

    public String member(String name) {
        return prefix + MEMBERS + name;
    }

    /** The name relative to the prefix, or empty when {@code key} is not under it. */
    public Optional<String> relative(String key) {
        return key.startsWith(prefix) ? Optional.of(key.substring(prefix.length())) : Optional.empty();
    }
}
