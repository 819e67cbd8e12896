package org.bellwether.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings Patroni 4.1 documents, read from {@code patroni-4.1-settings.txt}: keys of a node's file, keys of the
 * dynamic configuration and environment variables, each with the documentation file its block cites.
 */
final class PatroniSettingsFixture {
    static final String RESOURCE = "/patroni-4.1-settings.txt";

    /** Where a documented setting is written. */
    enum Scope {
        LOCAL("[local]"),
        DYNAMIC("[dynamic]"),
        ENVIRONMENT("[environment]");

        final String header;

        Scope(String header) {
            this.header = header;
        }
    }

    /** One documented setting; {@code source} is the comment line before its block. */
    record Setting(Scope scope, String key, String source) {
        @Override
        public String toString() {
            return scope.header + " " + key;
        }
    }

    private PatroniSettingsFixture() {}

    static List<Setting> all() {
        List<Setting> out = new ArrayList<>();
        Scope scope = null;
        String source = "";
        for (String raw : text().split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                source = line.substring(1).strip();
            } else if (line.startsWith("[")) {
                scope = header(line);
            } else if (scope == null) {
                throw new IllegalStateException(RESOURCE + ": '" + line + "' comes before any [scope] line");
            } else {
                out.add(new Setting(scope, line, source));
            }
        }
        return out;
    }

    static List<Setting> of(Scope scope) {
        return all().stream().filter(s -> s.scope() == scope).toList();
    }

    private static Scope header(String line) {
        for (Scope s : Scope.values()) {
            if (s.header.equals(line)) {
                return s;
            }
        }
        throw new IllegalStateException(RESOURCE + ": unknown block " + line);
    }

    private static String text() {
        try (InputStream in = PatroniSettingsFixture.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
