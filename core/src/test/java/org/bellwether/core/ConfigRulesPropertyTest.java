package org.bellwether.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.bellwether.core.ConfigRules.Finding;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary JSON-like values for every known setting and for random keys: the validator and the settings built from
 * it never throw, every known setting is either read within its range or named by an error, and the settings' timings
 * convert to milliseconds and add up without overflow. A failure names the seed and the case to replay.
 */
class ConfigRulesPropertyTest {
    private static final long SEED = 20_240_611L;
    private static final int CASES = 4_000;
    private static final String[] WORDS = {
        "on",
        "off",
        "yes",
        "no",
        "true",
        "false",
        "TRUE",
        "Yes",
        "1",
        "0",
        "quorum",
        "Quorum",
        "maybe",
        "",
        " ",
        "abc",
        "30min",
        "2h",
        "1500ms",
        "10s",
        "-5d",
        "106751991167301d",
        "1e3",
        "0x10",
        "+7",
        "-0",
        " 12 ",
        "NaN",
        "Infinity",
        "work_mem",
        "line\nbreak",
        "cr\rlf",
        "tab\tbed",
        "\u2028",
        "null",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "99999999999999999999999999999999",
        "86400",
        "86401",
        "5",
        "4",
        "3",
        "2"
    };

    private final Random random = new Random(SEED);

    @Test
    void arbitraryConfigurations_neverThrow_andEveryKnownSettingIsInRangeOrNamed() {
        for (int i = 0; i < CASES; i++) {
            Map<String, Object> config = randomConfig();
            Timing fallback = randomTiming();
            HaSettings previous = HaSettings.from(randomConfig());
            try {
                checkCase(config, fallback, previous);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(
                        "seed " + SEED + ", case " + i + ": " + ConfigValues.printable(String.valueOf(config), 2000),
                        e);
            }
        }
    }

    private static void checkCase(Map<String, Object> config, Timing fallback, HaSettings previous) {
        ConfigCheck check = ConfigRules.validate(config, fallback);
        for (ConfigKey key : ConfigKey.values()) {
            Optional<Object> value = check.value(key);
            if (value.isPresent()) {
                require(inRange(key, value.get()), key.path() + " read as " + value.get() + ", out of its range");
            } else if (isGiven(config, key.path())) {
                require(check.failed(key.path()), key.path() + " has neither a value nor an error");
            }
        }
        requireTimingKeepsTheRule(check.timing());
        for (Finding f : check.findings()) {
            require(!f.text().contains("\n") && !f.text().contains("\r"), "a finding breaks the line: " + f);
            require(!f.error() || !f.key().isEmpty(), "an error names no key: " + f);
        }
        check.parameters().values().forEach(v -> require(ConfigValues.isSingleValue(v), "parameter value " + v));

        HaSettings.Reading reading = HaSettings.read(config, Optional.of(previous));
        requireUsable(reading.settings());
        requireUsable(HaSettings.from(config));
        int withPreviousTiming =
                ConfigRules.validate(config, Timing.of(previous)).findings().size();
        require(reading.findings().size() == withPreviousTiming, "every finding is reported: " + reading.findings());
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    private static boolean inRange(ConfigKey key, Object value) {
        return switch (key.type()) {
            case INTEGER, SECONDS -> value instanceof Long n && n >= key.min() && n <= key.max();
            case BOOLEAN -> value instanceof Boolean;
            case SYNCHRONOUS_MODE -> value instanceof SynchronousMode;
        };
    }

    private static void requireTimingKeepsTheRule(Timing t) {
        require(t.ttl() >= 1 && t.ttl() <= ConfigRules.MAX_TIMING, "ttl in range: " + t);
        require(t.loopWait() >= 1 && t.retryTimeout() >= 1, "loop_wait and retry_timeout at least 1: " + t);
        require(t.loopWait() + 2 * t.retryTimeout() <= t.ttl(), "loop_wait + 2*retry_timeout <= ttl: " + t);
    }

    /** What the agent and the DCS adapters do with the settings: millis, nanos, sums and doubles of them. */
    private static void requireUsable(HaSettings s) {
        long millis = Math.addExact(
                Math.addExact(s.ttl().toMillis(), s.loopWait().toMillis()),
                Math.addExact(
                        Math.multiplyExact(2, s.retryTimeout().toMillis()),
                        s.primaryStartTimeout().toMillis()));
        require(millis > 0, "durations add up: " + s);
        Math.addExact(s.ttl().toNanos(), s.primaryStartTimeout().toNanos());
        Math.multiplyExact(2, s.ttl().toNanos());
        require(s.maximumLagOnFailover() >= 0 && s.maximumLagOnFailover() <= ConfigRules.MAX_LAG, "lag: " + s);
        require(s.maximumLagOnSyncNode() >= -1 && s.maximumLagOnSyncNode() <= ConfigRules.MAX_LAG, "lag: " + s);
        Math.multiplyExact(2, Math.addExact(s.maximumLagOnFailover(), s.maximumLagOnSyncNode()));
        require(
                s.synchronousNodeCount() >= 1 && s.synchronousNodeCount() <= ConfigRules.MAX_SYNCHRONOUS_NODES,
                "count");
        requireTimingKeepsTheRule(Timing.of(s));
    }

    /** Whether {@code path} is set (not null) in {@code config}, inside mappings all the way. */
    private static boolean isGiven(Map<String, Object> config, String path) {
        Object node = config;
        for (String part : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> m)) {
                return false;
            }
            node = m.get(part);
        }
        return node != null;
    }

    private Map<String, Object> randomConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        Map<String, Object> postgresql = new LinkedHashMap<>();
        Map<String, Object> standby = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (random.nextInt(3) != 0) {
                continue;
            }
            String[] path = key.path().split("\\.");
            Map<String, Object> into = path.length == 1 ? config : path[0].equals("postgresql") ? postgresql : standby;
            into.put(path[path.length - 1], randomValue(2));
        }
        if (random.nextInt(3) == 0) {
            postgresql.put("parameters", random.nextInt(5) == 0 ? randomValue(2) : randomMap(3));
        }
        if (random.nextInt(4) == 0) {
            postgresql.put(randomWord(), randomValue(2));
        }
        putSection(config, "postgresql", postgresql);
        putSection(config, "standby_cluster", standby);
        for (int i = random.nextInt(3); i > 0; i--) {
            config.put(randomWord(), randomValue(3));
        }
        return config;
    }

    /** The section as built, or now and then something else in its place (a list, a number, nothing). */
    private void putSection(Map<String, Object> config, String name, Map<String, Object> section) {
        if (random.nextInt(8) == 0) {
            config.put(name, randomValue(1));
        } else if (!section.isEmpty()) {
            config.put(name, section);
        }
    }

    private Timing randomTiming() {
        long ttl = 1 + random.nextInt(ConfigRules.MAX_TIMING);
        return new Timing(ttl, 1 + random.nextInt(ConfigRules.MAX_TIMING), 1 + random.nextInt(ConfigRules.MAX_TIMING));
    }

    private Object randomValue(int depth) {
        int kind = random.nextInt(depth > 0 ? 12 : 10);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> randomLong();
            case 3 -> random.nextInt(200) - 20;
            case 4 -> randomDouble();
            case 5 -> randomWord();
            case 6 -> String.valueOf(randomLong());
            case 7 ->
                new BigInteger(random.nextInt(200) + 1, random).negate().add(BigInteger.valueOf(random.nextInt(50)));
            case 8 -> new BigDecimal(BigInteger.valueOf(random.nextInt(1000)), random.nextInt(41) - 20);
            case 9 -> randomNumericString();
            case 10 -> randomList(depth - 1);
            default -> randomMap(depth - 1);
        };
    }

    private long randomLong() {
        return switch (random.nextInt(6)) {
            case 0 -> Long.MAX_VALUE;
            case 1 -> Long.MIN_VALUE;
            case 2 -> random.nextLong();
            case 3 -> random.nextInt(100_000) - 10;
            case 4 -> ConfigRules.MAX_LAG + random.nextInt(3) - 1;
            default -> random.nextInt(100);
        };
    }

    private double randomDouble() {
        return switch (random.nextInt(7)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> Double.NEGATIVE_INFINITY;
            case 3 -> Double.MAX_VALUE;
            case 4 -> 9.223372036854775807E18;
            case 5 -> random.nextInt(100);
            default -> random.nextDouble() * 100;
        };
    }

    private String randomWord() {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private String randomNumericString() {
        StringBuilder s = new StringBuilder(random.nextBoolean() ? "-" : "");
        for (int i = random.nextInt(40) + 1; i > 0; i--) {
            s.append((char) ('0' + random.nextInt(10)));
        }
        return random.nextInt(4) == 0 ? " " + s + "\n" : s.toString();
    }

    private List<Object> randomList(int depth) {
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            list.add(randomValue(depth));
        }
        return list;
    }

    private Map<String, Object> randomMap(int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            map.put(randomWord(), randomValue(depth));
        }
        return map;
    }
}
