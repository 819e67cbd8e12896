package org.bellwether.core.status;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One health-check request: which check and its query parameters, already validated.
 *
 * @param maxLag {@code ?lag=}: the most a replica may be behind the leader, in bytes
 * @param replicationState {@code ?replication_state=}: e.g. {@code streaming}
 * @param tags {@code ?tag_<key>=<value>}: custom tags the node must carry with exactly these values
 * @param mode {@code ?mode=} of {@code /readiness}: measure lag at the replayed (apply) or received (write) position
 */
public record HealthQuery(
        HealthEndpoint endpoint,
        OptionalLong maxLag,
        Optional<String> replicationState,
        SortedMap<String, String> tags,
        LagMode mode) {

    private static final String TAG_PREFIX = "tag_";

    /** Where {@code /readiness} measures a replica's position. */
    public enum LagMode {
        APPLY,
        WRITE
    }

    public HealthQuery {
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    /** The check without parameters. */
    public static HealthQuery of(HealthEndpoint endpoint) {
        return new HealthQuery(endpoint, OptionalLong.empty(), Optional.empty(), new TreeMap<>(), LagMode.APPLY);
    }

    /**
     * Reads the query parameters Patroni understands; others are ignored, as Patroni ignores them. A repeated
     * parameter counts with its first value. An empty {@code lag} means no limit.
     *
     * @throws IllegalArgumentException naming the parameter whose value cannot be understood
     */
    public static HealthQuery parse(HealthEndpoint endpoint, Map<String, List<String>> params) {
        OptionalLong maxLag = OptionalLong.empty();
        Optional<String> lag = first(params, "lag").filter(v -> !v.isBlank());
        if (lag.isPresent()) {
            try {
                maxLag = OptionalLong.of(ByteSize.parse(lag.get()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("query parameter lag: " + e.getMessage(), e);
            }
        }
        LagMode mode = LagMode.APPLY;
        Optional<String> modeText = first(params, "mode");
        if (modeText.isPresent()) {
            mode = switch (modeText.get()) {
                case "apply" -> LagMode.APPLY;
                case "write" -> LagMode.WRITE;
                default ->
                    throw new IllegalArgumentException(
                            "query parameter mode: expected apply or write, got '" + modeText.get() + "'");
            };
        }
        SortedMap<String, String> tags = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : new TreeMap<>(params).entrySet()) {
            if (e.getKey().startsWith(TAG_PREFIX) && !e.getValue().isEmpty()) {
                tags.put(e.getKey().substring(TAG_PREFIX.length()), e.getValue().get(0));
            }
        }
        return new HealthQuery(endpoint, maxLag, first(params, "replication_state"), tags, mode);
    }

    private static Optional<String> first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
