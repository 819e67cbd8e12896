package org.bellwether.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.bellwether.core.slots.SlotSettingsReader;

/**
 * The one validator of the dynamic configuration (the {@code config} key, or {@code bootstrap.dcs} before it is
 * written). Every reader and writer uses it: {@code PATCH}/{@code PUT /config}, {@code ctl edit-config},
 * {@code bellwether validate} and agent start-up, and the agent's reading of the key ({@link HaSettings#read}).
 *
 * <p>Each setting it knows ({@link ConfigKey}) is read the way Patroni reads it and checked against its range; a
 * value that is neither is an <em>error</em> naming the key ({@code loop_wait: expected an integer between 1 and
 * 86400, got 9223372036854775807}). A writer refuses errors on what it changes; a reader keeps its last good value.
 * Settings Patroni ignores, and the timing rule, give <em>warnings</em>.
 *
 * <p>The timing rule is Patroni's: when {@code loop_wait + 2*retry_timeout > ttl}, loop_wait and then retry_timeout
 * are lowered ({@link Timing#adjusted}) and a warning says so; the configuration is not refused.
 *
 * <p>The smallest {@code ttl} accepted is lower than Patroni's 20 s: the lock deadline is measured on the monotonic
 * clock from the moment a renewal is sent, and a fencing guard stops PostgreSQL at that deadline, so short leases
 * (ttl 10, loop_wait 2, retry_timeout 4) are safe and fail over faster. The maximums (see {@link ConfigKey}) keep
 * every later computation with these values from overflowing.
 *
 * <p>Pure: no I/O, no logging; whatever the map holds, it returns findings and never throws.
 */
public final class ConfigRules {
    public static final int MIN_TTL = 5;
    public static final int MIN_LOOP_WAIT = 1;
    public static final int MIN_RETRY_TIMEOUT = 3;
    /** One day, in seconds: the most ttl, loop_wait, retry_timeout and primary_race_backoff may be. */
    public static final int MAX_TIMING = 86_400;
    /** 365 days, in seconds: the most the other timeouts and member_slots_ttl may be. */
    public static final int MAX_TIMEOUT = 365 * 86_400;
    /** The most a lag limit may be, in bytes: a WAL position plus this, or this times 2, still fits a long. */
    public static final long MAX_LAG = Long.MAX_VALUE / 4;
    /** The most synchronous standbys a commit may wait for: far beyond any cluster, and safe as an int. */
    public static final int MAX_SYNCHRONOUS_NODES = 1024;

    /** One problem found. {@code key} is the dotted path of the setting, {@code ""} for the configuration itself. */
    public record Finding(String key, String message, boolean error) {
        /** {@code key: message}, or the message alone for the whole configuration. */
        public String text() {
            return key.isEmpty() ? message : key + ": " + message;
        }
    }

    private ConfigRules() {}

    /** The findings of {@link #validate(Map)}. */
    public static List<Finding> check(Map<String, ?> config) {
        return validate(config).findings();
    }

    /** {@link #validate(Map, Timing)} with Patroni's defaults standing in for timing values that are refused. */
    public static ConfigCheck validate(Map<String, ?> config) {
        return validate(config, Timing.DEFAULTS);
    }

    /**
     * Checks {@code config} and reads the settings it knows. A timing value that is refused is replaced by the one in
     * {@code fallback} (the reader's last good timing) and an absent one by Patroni's default before the timing rule
     * is applied, so the result always holds a usable timing.
     */
    public static ConfigCheck validate(Map<String, ?> config, Timing fallback) {
        ConfigSections walk = new ConfigSections(new ArrayList<>());
        Set<String> given = new TreeSet<>();
        for (Map.Entry<?, ?> e : config.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (e.getValue() != null) {
                given.add(name);
            }
            topLevel(walk, name, e.getValue());
        }
        Timing timing = timing(given, walk, fallback);
        return new ConfigCheck(walk.findings, walk.values, walk.parameters, timing);
    }

    /** The errors among {@code findings} that concern one of {@code paths} (see {@link ConfigPaths#touches}). */
    public static List<Finding> errorsOn(List<Finding> findings, Collection<String> paths) {
        return findings.stream()
                .filter(Finding::error)
                .filter(f -> ConfigPaths.touches(f.key(), paths))
                .toList();
    }

    private static void topLevel(ConfigSections walk, String name, Object value) {
        if (value == null) {
            return; // JSON null: the setting is absent and its default applies
        }
        Optional<ConfigKey> known = ConfigKey.byPath(name).filter(k -> !k.path().contains("."));
        if (known.isPresent()) {
            walk.setting(known.get(), ConfigPaths.join("", name), value);
        } else if (name.equals("postgresql")) {
            walk.postgresql(value);
        } else if (name.equals("standby_cluster")) {
            walk.standbyCluster(value);
        } else if (name.equals("slots")) {
            SlotSettingsReader.permanent(value, walk::error);
        } else if (name.equals("ignore_slots")) {
            SlotSettingsReader.ignore(value, walk::error);
        } else {
            walk.warning(ConfigPaths.join("", name), "not a dynamic configuration setting; Patroni ignores it");
        }
    }

    private static Timing timing(Set<String> given, ConfigSections walk, Timing fallback) {
        Set<String> defaulted = new TreeSet<>();
        Timing read = new Timing(
                timingValue(ConfigKey.TTL, fallback.ttl(), given, walk, defaulted),
                timingValue(ConfigKey.LOOP_WAIT, fallback.loopWait(), given, walk, defaulted),
                timingValue(ConfigKey.RETRY_TIMEOUT, fallback.retryTimeout(), given, walk, defaulted));
        Timing adjusted = read.adjusted();
        if (!adjusted.equals(read)) {
            walk.warning("", read.describeAdjustment(adjusted, defaulted));
        }
        return adjusted;
    }

    /** The value read; else Patroni's default when the key is absent (noted in {@code defaulted}); else the fallback. */
    private static long timingValue(
            ConfigKey key, long fallback, Set<String> given, ConfigSections walk, Set<String> defaulted) {
        if (walk.values.get(key.path()) instanceof Long n) {
            return n;
        }
        if (given.contains(key.path())) {
            return fallback; // refused: its error is already among the findings
        }
        defaulted.add(key.path());
        return (Long) key.defaultValue();
    }

    /** Integers as YAML or JSON deliver them, or as a string of digits (see {@link ConfigValues#integer}). */
    public static Optional<Long> parseLong(Object value) {
        return ConfigValues.integer(value);
    }

    /** How a value is named in messages (see {@link ConfigValues#describe}). */
    public static String describe(Object value) {
        return ConfigValues.describe(value);
    }
}
