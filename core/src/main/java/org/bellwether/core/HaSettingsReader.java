package org.bellwether.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.bellwether.core.ConfigRules.Finding;
import org.bellwether.core.slots.IgnoreRule;
import org.bellwether.core.slots.PermanentSlot;
import org.bellwether.core.slots.SlotSettings;
import org.bellwether.core.slots.SlotSettingsReader;

/**
 * Builds {@link HaSettings} from a {@link ConfigCheck}: each setting the check accepted is used, each absent one takes
 * Patroni's default, and each refused one keeps the previous settings' value (the last good one) or, without previous
 * settings, the default. The findings it returns say, for each refused setting, what was kept instead.
 */
final class HaSettingsReader {
    private static final String PARAMETERS = "postgresql.parameters";

    private final ConfigCheck check;
    private final Map<String, ?> raw;
    private final Optional<HaSettings> previous;
    /** For each refused path: what it was replaced by, as the end of its finding's message. */
    private final Map<String, String> replacements = new TreeMap<>();

    private HaSettingsReader(ConfigCheck check, Map<String, ?> raw, Optional<HaSettings> previous) {
        this.check = check;
        this.raw = raw;
        this.previous = previous;
    }

    static HaSettings.Reading read(Map<String, ?> raw, Optional<HaSettings> previous) {
        Timing fallback = previous.map(Timing::of).orElse(Timing.DEFAULTS);
        HaSettingsReader reader = new HaSettingsReader(ConfigRules.validate(raw, fallback), raw, previous);
        HaSettings settings = reader.settings(fallback);
        return new HaSettings.Reading(settings, reader.explainedFindings());
    }

    private HaSettings settings(Timing fallback) {
        Timing timing = check.timing();
        SlotSettings slots = slotSettings();
        noteTiming(ConfigKey.TTL, fallback.ttl());
        noteTiming(ConfigKey.LOOP_WAIT, fallback.loopWait());
        noteTiming(ConfigKey.RETRY_TIMEOUT, fallback.retryTimeout());
        return new HaSettings(
                Duration.ofSeconds(timing.ttl()),
                Duration.ofSeconds(timing.loopWait()),
                Duration.ofSeconds(timing.retryTimeout()),
                pick(ConfigKey.MAXIMUM_LAG_ON_FAILOVER, HaSettings::maximumLagOnFailover, Long.class),
                Duration.ofSeconds(primaryStartTimeout()),
                pick(ConfigKey.CHECK_TIMELINE, HaSettings::checkTimeline, Boolean.class),
                pick(ConfigKey.PAUSE, HaSettings::pause, Boolean.class),
                pick(ConfigKey.USE_PG_REWIND, HaSettings::usePgRewind, Boolean.class),
                pick(ConfigKey.USE_SLOTS, HaSettings::useSlots, Boolean.class),
                pick(
                        ConfigKey.REMOVE_DATA_DIRECTORY_ON_REWIND_FAILURE,
                        HaSettings::removeDataDirectoryOnRewindFailure,
                        Boolean.class),
                pick(
                        ConfigKey.REMOVE_DATA_DIRECTORY_ON_DIVERGED_TIMELINES,
                        HaSettings::removeDataDirectoryOnDivergedTimelines,
                        Boolean.class),
                pick(ConfigKey.SYNCHRONOUS_MODE, HaSettings::synchronousMode, SynchronousMode.class),
                pick(ConfigKey.SYNCHRONOUS_MODE_STRICT, HaSettings::synchronousModeStrict, Boolean.class),
                pick(ConfigKey.SYNCHRONOUS_NODE_COUNT, s -> (long) s.synchronousNodeCount(), Long.class)
                        .intValue(),
                pick(ConfigKey.MAXIMUM_LAG_ON_SYNCNODE, HaSettings::maximumLagOnSyncNode, Long.class),
                pick(ConfigKey.FAILSAFE_MODE, HaSettings::failsafeMode, Boolean.class),
                withFeedback(parameters(), slots),
                slots,
                pick(ConfigKey.MAX_TIMELINES_HISTORY, s -> (long) s.maxTimelinesHistory(), Long.class)
                        .intValue(),
                pgHba());
    }

    /**
     * {@code slots}, {@code ignore_slots} and {@code member_slots_ttl}. A permanent slot whose entry is refused keeps
     * its previous entry (or is left out): dropping a configured slot because of a bad edit would lose its consumer's
     * position. A refused {@code ignore_slots} keeps the previous rules, for the same reason.
     */
    private SlotSettings slotSettings() {
        Optional<SlotSettings> before = previous.map(HaSettings::slots);
        SortedMap<String, PermanentSlot> permanent =
                new TreeMap<>(SlotSettingsReader.permanent(raw.get("slots"), (p, m) -> {}));
        if (check.failed("slots")) {
            permanent.clear();
            permanent.putAll(before.map(SlotSettings::permanent).orElse(new TreeMap<>()));
        } else {
            for (Finding f : check.errors()) {
                if (f.key().startsWith("slots.")) {
                    String name = f.key().substring("slots.".length()).split("\\.", 2)[0];
                    Optional<PermanentSlot> kept = before.flatMap(
                            s -> Optional.ofNullable(s.permanent().get(name)));
                    kept.ifPresent(slot -> permanent.put(name, slot));
                    replacements.put(f.key(), kept.isPresent() ? "; keeping the slot as it was" : "; left out");
                }
            }
        }
        List<IgnoreRule> ignore = SlotSettingsReader.ignore(raw.get("ignore_slots"), (p, m) -> {});
        boolean ignoreRefused = check.errors().stream().anyMatch(f -> f.key().startsWith("ignore_slots"));
        if (ignoreRefused) {
            ignore = before.map(SlotSettings::ignore).orElse(List.of());
        }
        long ttl =
                pick(ConfigKey.MEMBER_SLOTS_TTL, s -> s.slots().memberSlotsTtl().toSeconds(), Long.class);
        return new SlotSettings(permanent, ignore, Duration.ofSeconds(ttl));
    }

    private static SortedMap<String, Object> withFeedback(SortedMap<String, Object> parameters, SlotSettings slots) {
        if (!slots.hasLogicalSlots()) {
            return parameters;
        }
        SortedMap<String, Object> out = new TreeMap<>(parameters);
        out.put("hot_standby_feedback", "on");
        return out;
    }

    /** {@code primary_start_timeout}, or its older name {@code master_start_timeout} when it is not set. */
    private long primaryStartTimeout() {
        ConfigKey primary = ConfigKey.PRIMARY_START_TIMEOUT;
        boolean set = check.value(primary).isPresent() || check.failed(primary.path());
        return pick(
                set ? primary : ConfigKey.MASTER_START_TIMEOUT,
                s -> s.primaryStartTimeout().toSeconds(),
                Long.class);
    }

    private <T> T pick(ConfigKey key, Function<HaSettings, T> previousValue, Class<T> type) {
        if (check.failed(key.path())) {
            T kept = previous.map(previousValue).orElseGet(() -> type.cast(key.defaultValue()));
            replacements.put(key.path(), replacement(kept));
            return kept;
        }
        return type.cast(check.value(key).orElse(key.defaultValue()));
    }

    /** The check already put the fallback in place of a refused timing value; only the finding is left to explain. */
    private void noteTiming(ConfigKey key, long fallback) {
        if (check.failed(key.path())) {
            replacements.put(key.path(), replacement(fallback));
        }
    }

    /** The parameters accepted; a refused one keeps its previous value, or is left out. */
    /**
     * {@code postgresql.pg_hba}: a list of lines, or the previous lines when the list is refused (a bad edit must not
     * take away the rules the cluster connects by).
     */
    private List<String> pgHba() {
        String path = "postgresql.pg_hba";
        if (check.failed(path) || check.errors().stream().anyMatch(f -> f.key().startsWith(path))) {
            replacements.put(path, previous.isPresent() ? "; keeping the previous lines" : "; left out");
            return previous.map(HaSettings::pgHba).orElse(List.of());
        }
        if (raw.get("postgresql") instanceof Map<?, ?> postgres && postgres.get("pg_hba") instanceof List<?> lines) {
            return lines.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    private SortedMap<String, Object> parameters() {
        SortedMap<String, Object> before =
                previous.map(HaSettings::postgresqlParameters).orElse(new TreeMap<>());
        if (check.failed(PARAMETERS)) {
            replacements.put(PARAMETERS, previous.isPresent() ? "; keeping the previous parameters" : "; left out");
            return before;
        }
        SortedMap<String, Object> out = new TreeMap<>(check.parameters());
        for (Finding f : check.errors()) {
            if (f.key().startsWith(PARAMETERS + ".")) {
                String name = f.key().substring(PARAMETERS.length() + 1);
                if (before.containsKey(name)) {
                    out.put(name, before.get(name));
                    replacements.put(f.key(), "; keeping " + shown(before.get(name)));
                } else {
                    replacements.put(f.key(), "; left out");
                }
            }
        }
        return out;
    }

    private String replacement(Object kept) {
        return (previous.isPresent() ? "; keeping " : "; using the default ") + shown(kept);
    }

    private static String shown(Object value) {
        return value instanceof SynchronousMode m
                ? m.name().toLowerCase(java.util.Locale.ROOT)
                : ConfigValues.describe(value);
    }

    /**
     * The check's findings, each error ending with what replaced the refused value; an error on a whole section (not a
     * mapping) says its settings kept their previous values.
     */
    private List<Finding> explainedFindings() {
        List<Finding> out = new ArrayList<>();
        for (Finding f : check.findings()) {
            String end = !f.error() ? "" : replacements.getOrDefault(f.key(), sectionReplacement(f.key()));
            out.add(new Finding(f.key(), f.message() + end, f.error()));
        }
        return out;
    }

    private String sectionReplacement(String section) {
        boolean holdsSettings = replacements.keySet().stream().anyMatch(k -> k.startsWith(section + "."));
        if (!holdsSettings) {
            return "";
        }
        return previous.isPresent() ? "; keeping the previous values of its settings" : "; using the defaults";
    }
}
