package org.bellwether.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.bellwether.core.ConfigValues;
import org.bellwether.core.PatroniBool;

/**
 * Which values of a present setting put it in its class; any other value is applied. A custom
 * {@code bootstrap.method} is refused but {@code initdb} is not, and {@code zookeeper.use_ssl: false} asks for what
 * Bellwether does anyway.
 */
interface SettingCondition {
    /**
     * What a condition may look at besides the value.
     *
     * @param parent the mapping that holds the setting
     * @param localRoot the node's whole local configuration; empty when a dynamic configuration is checked on its own,
     *     as {@code PATCH /config} does
     */
    record Context(Map<?, ?> parent, Map<?, ?> localRoot) {
        /** The value at a dotted path of the local configuration, or null. */
        Object local(String dottedPath) {
            Object node = localRoot;
            for (String key : dottedPath.split("\\.")) {
                if (!(node instanceof Map<?, ?> m)) {
                    return null;
                }
                node = m.get(key);
            }
            return node;
        }
    }

    SettingCondition ALWAYS = of("", (value, context) -> true);

    boolean holds(Object value, Context context);

    /** For the settings document: empty for {@link #ALWAYS}, else a phrase such as {@code when true}. */
    String describe();

    static SettingCondition of(String description, BiPredicate<Object, Context> test) {
        return new SettingCondition() {
            @Override
            public boolean holds(Object value, Context context) {
                return test.test(value, context);
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    /** Patroni's {@code parse_bool} finds the value true. */
    static SettingCondition isTrue() {
        return of("when true", (value, context) -> PatroniBool.isTrue(value));
    }

    /** Any value but {@code harmless} (compared without case), which is what Bellwether does anyway. */
    static SettingCondition otherThan(String harmless) {
        return of(
                "when not " + harmless,
                (value, context) ->
                        !harmless.equalsIgnoreCase(String.valueOf(value).trim()));
    }

    /** A mapping or list with something in it, or any other value. */
    static SettingCondition notEmpty() {
        return of("when not empty", (value, context) -> {
            if (value instanceof Map<?, ?> m) {
                return !m.isEmpty();
            }
            return !(value instanceof List<?> l) || !l.isEmpty();
        });
    }

    /** A number of seconds above zero (zero or less turns the setting off, in Patroni too). */
    static SettingCondition aboveZero() {
        return of(
                "when above 0",
                (value, context) -> ConfigValues.integer(value).map(n -> n > 0).orElse(true));
    }

    /** A list (or a single name) with an entry other than {@code builtIn}. */
    static SettingCondition namesOtherThan(String builtIn) {
        return of("when it names a method other than " + builtIn, (value, context) -> {
            List<?> names = value instanceof List<?> l ? l : List.of(value);
            return names.stream()
                    .anyMatch(
                            n -> n != null && !builtIn.equals(String.valueOf(n).trim()));
        });
    }

    /** Unless the same mapping also sets {@code other}, which Patroni then uses instead. */
    static SettingCondition without(String other) {
        return of(
                "unless " + other + " is set",
                (value, context) -> context.parent().get(other) == null);
    }

    /** A directory other than the {@code data_dir} next to it. */
    static SettingCondition notTheDataDirectory() {
        return of("when not the data directory", (value, context) -> {
            Object dataDir = context.parent().get("data_dir");
            return dataDir == null
                    || String.valueOf(value).isBlank()
                    || !normalised(value).equals(normalised(dataDir));
        });
    }

    private static Path normalised(Object dir) {
        return Path.of(String.valueOf(dir).trim()).toAbsolutePath().normalize();
    }

    /**
     * A boolean whose value differs from the same setting in {@code bootstrap.dcs} (false when absent there): Patroni
     * lets the local value win, Bellwether acts on the dynamic one.
     */
    static SettingCondition differsFromDynamic(String dynamicPath) {
        return of("when it differs from bootstrap.dcs." + dynamicPath, (value, context) -> {
            Object dynamic = context.local("bootstrap.dcs." + dynamicPath);
            boolean dynamicValue = dynamic != null && PatroniBool.isTrue(dynamic);
            return PatroniBool.isTrue(value) != dynamicValue;
        });
    }

    /** Unless the node's own file sets {@code localPath}, which Patroni then uses instead of the dynamic value. */
    static SettingCondition notSetLocally(String localPath) {
        return of("unless the node's file sets " + localPath, (value, context) -> context.local(localPath) == null);
    }
}
