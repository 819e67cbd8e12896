package org.bellwether.core.slots;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Reads {@code slots} and {@code ignore_slots} as Patroni writes them. A permanent slot is a name (lower case letters,
 * digits and {@code _}, at most 63 characters, as PostgreSQL allows) mapped to nothing (a physical slot) or to
 * {@code type}, and for a logical slot {@code database} and {@code plugin}; without {@code type}, a slot with both
 * is logical. {@code ignore_slots} is a list of objects with any of {@code name}, {@code type}, {@code database},
 * {@code plugin}. Each entry that cannot be used is reported by its path and left out.
 */
public final class SlotSettingsReader {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,63}");
    private static final List<String> SLOT_KEYS = List.of("type", "database", "plugin", "cluster_type");
    private static final List<String> IGNORE_KEYS = List.of("name", "type", "database", "plugin");

    private SlotSettingsReader() {}

    /** The permanent slots of {@code raw} (the {@code slots} value); problems go to {@code error(path, message)}. */
    public static SortedMap<String, PermanentSlot> permanent(Object raw, BiConsumer<String, String> error) {
        SortedMap<String, PermanentSlot> out = new TreeMap<>();
        if (raw == null) {
            return out;
        }
        if (!(raw instanceof Map<?, ?> map)) {
            error.accept("slots", "must be an object mapping slot names to their settings");
            return out;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = String.valueOf(e.getKey());
            String path = "slots." + name;
            if (!NAME.matcher(name).matches()) {
                error.accept(path, "a slot name may hold only lower case letters, digits and _, at most 63 of them");
                continue;
            }
            slot(name, path, e.getValue(), error).ifPresent(slot -> out.put(name, slot));
        }
        return out;
    }

    /** The rules of {@code raw} (the {@code ignore_slots} value). */
    public static List<IgnoreRule> ignore(Object raw, BiConsumer<String, String> error) {
        List<IgnoreRule> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        if (!(raw instanceof List<?> list)) {
            error.accept("ignore_slots", "must be a list of objects with name, type, database or plugin");
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            String path = "ignore_slots[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> map) || map.isEmpty()) {
                error.accept(path, "must be an object with any of name, type, database, plugin");
                continue;
            }
            if (unknownKey(map, IGNORE_KEYS, path, error)) {
                continue;
            }
            Optional<String> type = text(map, "type", path, error);
            Optional<SlotType> slotType = type.flatMap(SlotType::of);
            if (type.isPresent() && slotType.isEmpty()) {
                error.accept(path + ".type", "must be physical or logical");
                continue;
            }
            out.add(new IgnoreRule(
                    text(map, "name", path, error),
                    slotType,
                    text(map, "database", path, error),
                    text(map, "plugin", path, error)));
        }
        return out;
    }

    private static Optional<PermanentSlot> slot(
            String name, String path, Object value, BiConsumer<String, String> error) {
        if (value == null) {
            return Optional.of(PermanentSlot.physical(name));
        }
        if (!(value instanceof Map<?, ?> map)) {
            error.accept(path, "must be an object with type (physical or logical), database and plugin");
            return Optional.empty();
        }
        if (unknownKey(map, SLOT_KEYS, path, error)) {
            return Optional.empty();
        }
        Optional<String> database = text(map, "database", path, error);
        Optional<String> plugin = text(map, "plugin", path, error);
        Optional<String> typeWord = text(map, "type", path, error);
        SlotType type;
        if (typeWord.isPresent()) {
            Optional<SlotType> known = typeWord.flatMap(SlotType::of);
            if (known.isEmpty()) {
                error.accept(path + ".type", "must be physical or logical");
                return Optional.empty();
            }
            type = known.get();
        } else {
            type = database.isPresent() && plugin.isPresent() ? SlotType.LOGICAL : SlotType.PHYSICAL;
        }
        Optional<String> clusterType = text(map, "cluster_type", path, error);
        if (clusterType.isPresent() && !List.of("primary", "standby").contains(clusterType.get())) {
            error.accept(path + ".cluster_type", "must be primary or standby");
            return Optional.empty();
        }
        if (type == SlotType.PHYSICAL) {
            // A slot only for standby clusters does not exist in a primary cluster (Patroni 4.1's cluster_type).
            return clusterType.equals(Optional.of("standby"))
                    ? Optional.empty()
                    : Optional.of(PermanentSlot.physical(name));
        }
        if (database.isEmpty() || plugin.isEmpty()) {
            error.accept(path, "a logical slot needs both database and plugin");
            return Optional.empty();
        }
        return Optional.of(PermanentSlot.logical(name, database.get(), plugin.get()));
    }

    private static boolean unknownKey(
            Map<?, ?> map, List<String> known, String path, BiConsumer<String, String> error) {
        for (Object key : map.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                error.accept(path + "." + key, "unknown setting; expected one of " + String.join(", ", known));
                return true;
            }
        }
        return false;
    }

    private static Optional<String> text(Map<?, ?> map, String key, String path, BiConsumer<String, String> error) {
        Object value = map.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s) || s.isBlank()) {
            error.accept(path + "." + key, "must be a non-empty string");
            return Optional.empty();
        }
        return Optional.of(s);
    }
}
