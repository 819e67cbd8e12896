package org.bellwether.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bellwether.config.ConfigException.Kind;
import org.bellwether.config.ConfigException.Problem;

/**
 * Knows where every value came from, so that a message about {@code restapi.listen} names the file of a directory
 * load, or the {@code PATRONI_RESTAPI_LISTEN} variable, that actually set it. Collects warnings in the order found.
 */
final class Diagnostics {
    private final String defaultSource;
    private final Map<String, String> origins;
    private final List<String> warnings = new ArrayList<>();

    Diagnostics(String defaultSource, Map<String, String> origins, List<String> earlierWarnings) {
        this.defaultSource = defaultSource;
        this.origins = origins;
        this.warnings.addAll(earlierWarnings);
    }

    /** The source of the value at {@code path}, or of its nearest enclosing section. */
    String sourceOf(String path) {
        String p = path;
        while (!p.isEmpty()) {
            String source = origins.get(p);
            if (source != null) {
                return source;
            }
            int dot = p.lastIndexOf('.');
            p = dot < 0 ? "" : p.substring(0, dot);
        }
        return defaultSource;
    }

    void warn(String path, String message) {
        warnings.add(new Problem(Kind.INVALID_VALUE, sourceOf(path), path, message).toString());
    }

    Problem problem(Kind kind, String path, String message) {
        return new Problem(kind, sourceOf(path), path, message);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }
}
