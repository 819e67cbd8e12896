package org.bellwether.dcs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random stored values for the decoders, from a seeded {@link Random}: JSON text of any shape (nested objects and
 * arrays, numbers huge, negative, fractional or beyond a double, strings empty, blank, with line breaks, control
 * characters, unpaired surrogates, or shaped like names, URLs, times and numbers), nesting beyond Jackson's limit, and
 * text that is no JSON at all. Built as text, so that values Jackson cannot hold (1e400, 40-digit integers) occur too.
 */
final class ArbitraryJson {
    private static final List<String> TEXTS = List.of(
            "",
            " ",
            "\t\n",
            "n1",
            "n2",
            " n1",
            "n1\n",
            "a/b",
            "garbage",
            "7357872398432105723",
            "123",
            "-5",
            "0/3000060",
            "true",
            "null",
            "primary",
            "master",
            "replica",
            "http://10.0.0.1:8008/patroni",
            "https://[::1]:8008/patroni",
            "http://",
            "http:/x",
            "ftp://h/x",
            "postgres://10.0.0.1:5432/postgres",
            "postgres://u:s3cret@h:5432/db",
            "postgresql://",
            "postgres",
            "2030-01-01T00:00:00+00:00",
            "2030-01-01T00:00:00",
            "+999999999-12-31T23:59:59+00:00",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59-14:00",
            "n1,n2",
            ",,",
            "\u00e9\u4e2d\ud83d\ude00",
            "\u0000\u001f\u007f");

    private final Random random;

    ArbitraryJson(Random random) {
        this.random = random;
    }

    /** Any stored value: usually JSON of a random shape, sometimes text that is no JSON or nothing at all. */
    String anyValue() {
        return switch (random.nextInt(16)) {
            case 0 -> "";
            case 1 -> anyText();
            case 2 -> "{\"unclosed\": [1, 2";
            case 3 -> deeplyNested(1 + random.nextInt(1500));
            default -> json(random.nextInt(5));
        };
    }

    /** JSON text of a random shape, nesting at most {@code depth} deeper. */
    String json(int depth) {
        int kind = random.nextInt(depth <= 0 ? 4 : 6);
        return switch (kind) {
            case 0 -> number();
            case 1 -> quoted(anyText());
            case 2 -> List.of("true", "false", "null").get(random.nextInt(3));
            case 3 -> random.nextBoolean() ? number() : quoted(anyText());
            case 4 -> array(depth - 1);
            default -> object(depth - 1);
        };
    }

    String number() {
        return switch (random.nextInt(12)) {
            case 0 -> "0";
            case 1 -> "-1";
            case 2 -> Long.toString(random.nextLong());
            case 3 -> Long.toString(Long.MAX_VALUE);
            case 4 -> Long.toString(Long.MIN_VALUE);
            case 5 -> "18446744073709551616";
            case 6 -> "1234567890123456789012345678901234567890";
            case 7 -> Double.toString(random.nextDouble() * 1e6);
            case 8 -> "1e400";
            case 9 -> "-0.0";
            case 10 -> Integer.toString(Integer.MAX_VALUE);
            default -> Integer.toString(random.nextInt(100));
        };
    }

    String anyText() {
        if (random.nextInt(4) > 0) {
            return TEXTS.get(random.nextInt(TEXTS.size()));
        }
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(10) == 0 ? 5000 : random.nextInt(20);
        for (int i = 0; i < length; i++) {
            s.append((char) (random.nextBoolean() ? random.nextInt(128) : random.nextInt(0x10000)));
        }
        return s.toString();
    }

    String array(int depth) {
        List<String> items = new ArrayList<>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            items.add(json(depth));
        }
        return "[" + String.join(",", items) + "]";
    }

    String object(int depth) {
        List<String> fields = new ArrayList<>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            fields.add(quoted(anyText()) + ":" + json(depth));
        }
        return "{" + String.join(",", fields) + "}";
    }

    String deeplyNested(int depth) {
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return open.repeat(depth) + json(0) + close.repeat(depth);
    }

    /** An object with these fields (name to JSON text), one of them replaced, removed or doubled at random. */
    String mutated(Map<String, String> fields) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(fields.entrySet());
        int target = random.nextInt(entries.size());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String name = quoted(entries.get(i).getKey());
            if (i != target) {
                out.add(name + ":" + entries.get(i).getValue());
                continue;
            }
            switch (random.nextInt(4)) {
                case 0 -> {} // removed
                case 1 -> {
                    out.add(name + ":" + entries.get(i).getValue());
                    out.add(name + ":" + json(2));
                }
                default -> out.add(name + ":" + json(2));
            }
        }
        return "{" + String.join(",", out) + "}";
    }

    static String quoted(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.append('"').toString();
    }

    /** A value as a Java string literal, to paste a failing case into a test. */
    static String literal(String value) {
        String shown = value.length() > 400 ? value.substring(0, 400) + "...(" + value.length() + " chars)" : value;
        StringBuilder s = new StringBuilder("\"");
        for (char c : shown.toCharArray()) {
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.append('"').toString();
    }
}
