package org.bellwether.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bellwether.config.ConfigException.Kind;
import org.bellwether.core.ConfigRules;

/**
 * Renders tool options the way Patroni's {@code process_user_options} does: a list of flags ({@code - data-checksums})
 * and single-key maps ({@code - encoding: UTF8}), or one map ({@code max-rate: 100M}), become {@code --data-checksums},
 * {@code --encoding=UTF8}, {@code --max-rate=100M}. A value wrapped in shell quotes loses them, as with Patroni's
 * {@code unquote}.
 */
final class LongOptions {
    /** initdb options the agent sets itself. */
    static final Set<String> INITDB_RESERVED = Set.of("pgdata", "nosync", "pwfile", "sync-only", "version");
    /** pg_basebackup options the agent sets itself (format, connection, target). */
    static final Set<String> BASEBACKUP_RESERVED = Set.of(
            "pgdata",
            "format",
            "wal-method",
            "xlog-method",
            "gzip",
            "version",
            "compress",
            "dbname",
            "host",
            "port",
            "username",
            "password");

    /** What to do with an option Patroni would refuse: fail (initdb fails in Patroni) or skip with a warning. */
    enum OnBad {
        FAIL,
        WARN
    }

    private LongOptions() {}

    static List<String> render(Section s, String key, Set<String> reserved, OnBad onBad) throws ConfigException {
        Object value = s.raw(key);
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String name = String.valueOf(e.getKey());
                String where = key + "." + name;
                if (isSet(e.getValue()) && allowed(s, where, name, reserved, onBad)) {
                    out.add("--" + name + "=" + scalar(s, where, e.getValue()));
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                item(s, key + "[" + i + "]", list.get(i), reserved, onBad, out);
            }
        } else {
            throw s.error(
                    Kind.WRONG_TYPE,
                    key,
                    "expected a list or a mapping of options, got " + ConfigRules.describe(value));
        }
        return out;
    }

    private static void item(Section s, String where, Object item, Set<String> reserved, OnBad onBad, List<String> out)
            throws ConfigException {
        if (item instanceof String flag) {
            if (allowed(s, where, flag, reserved, onBad)) {
                out.add("--" + flag);
            }
        } else if (item instanceof Map<?, ?> m && m.size() == 1) {
            Map.Entry<?, ?> e = m.entrySet().iterator().next();
            String name = String.valueOf(e.getKey());
            if (allowed(s, where, name, reserved, onBad)) {
                out.add(e.getValue() == null ? "--" + name : "--" + name + "=" + scalar(s, where, e.getValue()));
            }
        } else {
            bad(
                    s,
                    where,
                    "expected an option name or a single name: value pair, got " + ConfigRules.describe(item),
                    onBad);
        }
    }

    private static boolean allowed(Section s, String where, String name, Set<String> reserved, OnBad onBad)
            throws ConfigException {
        if (reserved.contains(name.toLowerCase(Locale.ROOT))) {
            bad(s, where, "option '" + name + "' is set by the agent itself and may not be given here", onBad);
            return false;
        }
        return true;
    }

    private static void bad(Section s, String where, String message, OnBad onBad) throws ConfigException {
        if (onBad == OnBad.FAIL) {
            throw s.error(Kind.INVALID_VALUE, where, message);
        }
        s.warn(where, message + "; ignored, as Patroni does");
    }

    /** Patroni skips map entries whose value is empty or false. */
    private static boolean isSet(Object v) {
        return v != null && !Boolean.FALSE.equals(v) && !"".equals(v);
    }

    private static String scalar(Section s, String where, Object v) throws ConfigException {
        if (v instanceof Boolean b) {
            return b.toString();
        }
        return unquote(s.text(where, v));
    }

    /** Removes shell quoting when the value is one shell word, as Python's {@code shlex.split} would see it. */
    static String unquote(String value) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < value.length()) {
                    word.append(value.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < value.length()) {
                    word.append(value.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            return value;
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words.size() == 1 ? words.get(0) : value;
    }
}
