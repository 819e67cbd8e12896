package org.bellwether.core;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.ConfigRules.Finding;

/**
 * What {@link ConfigRules#validate} made of a dynamic configuration: the findings (errors and warnings, each naming
 * its key), the value of every known setting that was read and is within range (by {@link ConfigKey#path()}), the
 * PostgreSQL parameters that can be used, and the timing after Patroni's adjustment.
 *
 * <p>A setting that was refused has an error finding and no value; one that was absent has neither, and its default
 * applies.
 */
public record ConfigCheck(
        List<Finding> findings, SortedMap<String, Object> values, SortedMap<String, Object> parameters, Timing timing) {

    public ConfigCheck {
        findings = List.copyOf(findings);
        values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
        parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
    }

    public List<Finding> errors() {
        return findings.stream().filter(Finding::error).toList();
    }

    public List<Finding> warnings() {
        return findings.stream().filter(f -> !f.error()).toList();
    }

    /** Whether {@code path} was refused: an error names it, or the section that holds it (a section not a mapping). */
    public boolean failed(String path) {
        return findings.stream().anyMatch(f -> f.error() && (f.key().equals(path) || path.startsWith(f.key() + ".")));
    }

    /** The value read for {@code key}: a {@code Long}, {@code Boolean} or {@link SynchronousMode}, by its type. */
    public Optional<Object> value(ConfigKey key) {
        return Optional.ofNullable(values.get(key.path()));
    }
}
