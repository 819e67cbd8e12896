package org.bellwether.core;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The single-valued settings of the dynamic configuration that the validator knows, each with its type, its range and
 * Patroni's default. A path with a dot is a setting inside a section ({@code postgresql.use_slots}).
 *
 * <p>The minimums are Patroni's, except for the timing keys, where the house keeps {@link ConfigRules#MIN_TTL} (lower
 * than Patroni's 20). The maximums are Bellwether's, chosen so that no later arithmetic can overflow: a value read
 * here is turned into a {@code Duration}, into milliseconds and nanoseconds, added to a monotonic clock reading and
 * to other timeouts, and multiplied by small factors (2 × ttl, 2 × loop_wait); the lag limits are compared with
 * differences of WAL positions. Each maximum is far beyond any working setting:
 *
 * <ul>
 *   <li>{@code ttl}, {@code loop_wait}, {@code retry_timeout}, {@code primary_race_backoff}: at most one day
 *       ({@link ConfigRules#MAX_TIMING}, 86,400 s);
 *   <li>the other timeouts ({@code primary_start_timeout}, {@code primary_stop_timeout}, {@code member_slots_ttl},
 *       {@code postgresql.pg_ctl_timeout}): at most 365 days ({@link ConfigRules#MAX_TIMEOUT});
 *   <li>{@code maximum_lag_on_failover}, {@code maximum_lag_on_syncnode}: at most {@code Long.MAX_VALUE / 4} bytes
 *       ({@link ConfigRules#MAX_LAG}), so a lag limit added to a WAL position stays a {@code long};
 *   <li>{@code synchronous_node_count}: at most {@link ConfigRules#MAX_SYNCHRONOUS_NODES};
 *       {@code max_timelines_history}: at most {@code Integer.MAX_VALUE}; {@code standby_cluster.port}: 1 to 65535.
 * </ul>
 */
public enum ConfigKey {
    TTL("ttl", Type.INTEGER, ConfigRules.MIN_TTL, ConfigRules.MAX_TIMING, (long) HaSettings.DEFAULT_TTL),
    LOOP_WAIT("loop_wait", Type.INTEGER, ConfigRules.MIN_LOOP_WAIT, ConfigRules.MAX_TIMING, (long)
            HaSettings.DEFAULT_LOOP_WAIT),
    RETRY_TIMEOUT("retry_timeout", Type.INTEGER, ConfigRules.MIN_RETRY_TIMEOUT, ConfigRules.MAX_TIMING, (long)
            HaSettings.DEFAULT_RETRY_TIMEOUT),
    MAXIMUM_LAG_ON_FAILOVER(
            "maximum_lag_on_failover",
            Type.INTEGER,
            0,
            ConfigRules.MAX_LAG,
            HaSettings.DEFAULT_MAXIMUM_LAG_ON_FAILOVER),
    MAXIMUM_LAG_ON_SYNCNODE("maximum_lag_on_syncnode", Type.INTEGER, -1, ConfigRules.MAX_LAG, -1L),
    PRIMARY_START_TIMEOUT("primary_start_timeout", Type.INTEGER, 0, ConfigRules.MAX_TIMEOUT, 300L),
    MASTER_START_TIMEOUT("master_start_timeout", Type.INTEGER, 0, ConfigRules.MAX_TIMEOUT, 300L),
    PRIMARY_STOP_TIMEOUT("primary_stop_timeout", Type.INTEGER, 0, ConfigRules.MAX_TIMEOUT, 0L),
    MASTER_STOP_TIMEOUT("master_stop_timeout", Type.INTEGER, 0, ConfigRules.MAX_TIMEOUT, 0L),
    PRIMARY_RACE_BACKOFF("primary_race_backoff", Type.INTEGER, 0, ConfigRules.MAX_TIMING, 0L),
    MAX_TIMELINES_HISTORY("max_timelines_history", Type.INTEGER, 0, Integer.MAX_VALUE, 0L),
    SYNCHRONOUS_NODE_COUNT("synchronous_node_count", Type.INTEGER, 1, ConfigRules.MAX_SYNCHRONOUS_NODES, 1L),
    MEMBER_SLOTS_TTL("member_slots_ttl", Type.SECONDS, 0, ConfigRules.MAX_TIMEOUT, 1800L),
    CHECK_TIMELINE("check_timeline", Type.BOOLEAN, false),
    FAILSAFE_MODE("failsafe_mode", Type.BOOLEAN, false),
    PAUSE("pause", Type.BOOLEAN, false),
    SYNCHRONOUS_MODE("synchronous_mode", Type.SYNCHRONOUS_MODE, SynchronousMode.OFF),
    SYNCHRONOUS_MODE_STRICT("synchronous_mode_strict", Type.BOOLEAN, false),
    USE_PG_REWIND("postgresql.use_pg_rewind", Type.BOOLEAN, false),
    USE_SLOTS("postgresql.use_slots", Type.BOOLEAN, true),
    REMOVE_DATA_DIRECTORY_ON_REWIND_FAILURE("postgresql.remove_data_directory_on_rewind_failure", Type.BOOLEAN, false),
    REMOVE_DATA_DIRECTORY_ON_DIVERGED_TIMELINES(
            "postgresql.remove_data_directory_on_diverged_timelines", Type.BOOLEAN, false),
    USE_UNIX_SOCKET("postgresql.use_unix_socket", Type.BOOLEAN, false),
    USE_UNIX_SOCKET_REPL("postgresql.use_unix_socket_repl", Type.BOOLEAN, false),
    PG_CTL_TIMEOUT("postgresql.pg_ctl_timeout", Type.INTEGER, 0, ConfigRules.MAX_TIMEOUT, 60L),
    STANDBY_CLUSTER_PORT("standby_cluster.port", Type.INTEGER, 1, 65535, 5432L);

    /** What a setting holds; each reads its values the way Patroni reads them. */
    public enum Type {
        /** Patroni's {@code int(value)}: a whole number, or a string of digits. */
        INTEGER,
        /** Patroni's {@code parse_int(value, 's')}: seconds, or a string with a time unit ({@code 30min}). */
        SECONDS,
        /** Patroni's {@code parse_bool}. */
        BOOLEAN,
        /** {@link SynchronousMode#parse}. */
        SYNCHRONOUS_MODE
    }

    private static final Map<String, ConfigKey> BY_PATH =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ConfigKey::path, Function.identity()));

    private final String path;
    private final Type type;
    private final long min;
    private final long max;
    private final Object defaultValue;

    ConfigKey(String path, Type type, long min, long max, Object defaultValue) {
        this.path = path;
        this.type = type;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
    }

    ConfigKey(String path, Type type, Object defaultValue) {
        this(path, type, 0, 0, defaultValue);
    }

    public static Optional<ConfigKey> byPath(String path) {
        return Optional.ofNullable(BY_PATH.get(path));
    }

    public String path() {
        return path;
    }

    public Type type() {
        return type;
    }

    /** The smallest value accepted (integers and seconds only). */
    public long min() {
        return min;
    }

    /** The largest value accepted (integers and seconds only). */
    public long max() {
        return max;
    }

    /** Patroni's default: a {@code Long}, {@code Boolean} or {@link SynchronousMode}. */
    public Object defaultValue() {
        return defaultValue;
    }

    /**
     * The value read and within range: a {@code Long} (integers, and seconds), a {@code Boolean} or a
     * {@link SynchronousMode}; empty when it is neither of the right type nor within range.
     */
    public Optional<Object> read(Object value) {
        return switch (type) {
            case INTEGER -> ConfigValues.integer(value).filter(this::inRange).map(n -> n);
            case SECONDS -> ConfigValues.seconds(value).filter(this::inRange).map(n -> n);
            case BOOLEAN -> PatroniBool.parse(value).map(b -> b);
            case SYNCHRONOUS_MODE -> SynchronousMode.parse(value).map(m -> m);
        };
    }

    /** What the setting expects, for messages: "an integer between 1 and 86400". */
    public String expected() {
        return switch (type) {
            case INTEGER -> "an integer between " + min + " and " + max;
            case SECONDS -> "a number of seconds between " + min + " and " + max + ", or a duration such as 30min";
            case BOOLEAN -> "true or false (or on/off, yes/no, 1/0)";
            case SYNCHRONOUS_MODE -> "on, off or quorum (or true/false, yes/no, 1/0)";
        };
    }

    private boolean inRange(long n) {
        return n >= min && n <= max;
    }
}
