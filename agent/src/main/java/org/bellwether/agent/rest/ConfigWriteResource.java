package org.bellwether.agent.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.config.SettingsAudit;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.core.ConfigPaths;
import org.bellwether.core.ConfigRules;
import org.bellwether.dcs.DcsException;
import org.bellwether.postgres.ParameterCheck;
import org.bellwether.postgres.PostgresException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PATCH /config} (a JSON merge: objects merge key by key, {@code null} deletes) and {@code PUT /config}
 * (replace). The result is checked with {@link ConfigRules} and the settings table ({@link SettingsAudit}) first, so a
 * bad value or a setting Bellwether refuses that the request sets is answered 400 naming the key rather than found
 * later by every node (or ignored); PATCH writes with compare-and-set on the version it read
 * (409 when another writer came first). Every node applies the new configuration on its next cycle; this one is
 * woken at once.
 */
final class ConfigWriteResource {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWriteResource.class);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private final WriteApi api;

    ConfigWriteResource(WriteApi api) {
        this.api = api;
    }

    Response patch(Request request) {
        Map<String, Object> patch = body(request);
        ClusterView cluster = api.readCluster();
        ClusterConfig current = cluster.config()
                .orElseThrow(() -> new HttpError(503, "the DCS holds no config key to patch; use PUT /config"));
        SortedMap<String, Object> merged = new TreeMap<>(deepCopy(current.raw()));
        merge(merged, patch);
        refuseErrors("PATCH", merged, Optional.of(ConfigPaths.ofPatch(patch)));
        refuseParameters(ParameterCheck.parametersOf(patch));
        if (!merged.equals(current.raw())) {
            try {
                if (!api.dcs().writeConfig(merged, OptionalLong.of(current.version()))) {
                    return Response.text(
                            409,
                            "the configuration changed meanwhile (it was at version " + current.version()
                                    + "); read it again and retry");
                }
            } catch (DcsException e) {
                return Response.text(503, "cannot write the configuration: " + e.getMessage());
            }
        }
        api.wake().run();
        return Response.json(200, merged);
    }

    Response put(Request request) {
        SortedMap<String, Object> replacement = new TreeMap<>(body(request));
        refuseErrors("PUT", replacement, Optional.empty());
        refuseParameters(ParameterCheck.parametersOf(replacement));
        ClusterView cluster = api.readCluster();
        if (cluster.config().map(c -> !c.raw().equals(replacement)).orElse(true)) {
            try {
                api.dcs().writeConfig(replacement, OptionalLong.empty());
            } catch (DcsException e) {
                return Response.text(502, "cannot write the configuration: " + e.getMessage());
            }
        }
        api.wake().run();
        return Response.json(200, replacement);
    }

    private static Map<String, Object> body(Request request) {
        ObjectNode json = request.jsonObjectBody();
        if (json.isEmpty()) {
            throw HttpError.badRequest("the request body is an empty JSON object; nothing to change");
        }
        return Json.MAPPER.convertValue(json, MAP);
    }

    /**
     * Refuses errors on what the write sets ({@code changed}; for PUT, empty: all of it), so a value of the wrong type
     * or out of range is refused where it is written. Errors elsewhere (a value someone wrote straight into the DCS)
     * do not stop an unrelated change such as {@code {"pause": true}}; they and the warnings (keys Patroni ignores,
     * the timing rule's adjustment) are logged, and the write goes ahead.
     */
    private static void refuseErrors(String method, Map<String, Object> config, Optional<Set<String>> changed) {
        List<ConfigRules.Finding> findings = SettingsAudit.checkDynamic(config);
        List<ConfigRules.Finding> refused = changed.map(paths -> ConfigRules.errorsOn(findings, paths))
                .orElseGet(() ->
                        findings.stream().filter(ConfigRules.Finding::error).toList());
        if (!refused.isEmpty()) {
            throw HttpError.badRequest("invalid configuration: "
                    + refused.get(0).text() + (refused.size() > 1 ? " (and " + (refused.size() - 1) + " more)" : ""));
        }
        findings.forEach(f -> LOG.warn("{} /config: {}{}", method, f.error() ? "left as it is: " : "", f.text()));
    }

    /**
     * Asks PostgreSQL's server program about the parameters the write sets: a value no node could start with is refused
     * with PostgreSQL's own words. When it cannot be asked, the write goes ahead: every agent still keeps a refused
     * value out of its configuration files.
     */
    private void refuseParameters(Map<String, Object> parameters) {
        Map<String, Object> set = new LinkedHashMap<>(parameters);
        set.values().removeIf(java.util.Objects::isNull);
        if (set.isEmpty()) {
            return;
        }
        List<ParameterCheck.Problem> problems;
        try {
            problems = api.parameters().check(set);
        } catch (PostgresException e) {
            LOG.warn("/config: postgresql.parameters not checked by PostgreSQL: {}", e.getMessage());
            problems = ParameterCheck.inForm(set);
        }
        if (!problems.isEmpty()) {
            throw HttpError.badRequest("invalid configuration: postgresql.parameters." + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        }
    }

    /** RFC 7386 JSON merge patch: {@code null} removes, objects merge recursively, anything else replaces. */
    @SuppressWarnings("unchecked")
    static void merge(Map<String, Object> target, Map<String, Object> patch) {
        patch.forEach((key, value) -> {
            if (value == null) {
                target.remove(key);
            } else if (value instanceof Map<?, ?> inner && target.get(key) instanceof Map<?, ?> existing) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) existing);
                merge(copy, (Map<String, Object>) inner);
                target.put(key, copy);
            } else if (value instanceof Map<?, ?> inner) {
                Map<String, Object> fresh = new LinkedHashMap<>();
                merge(fresh, (Map<String, Object>) inner);
                target.put(key, fresh);
            } else {
                target.put(key, value);
            }
        });
    }

    private static Map<String, Object> deepCopy(Map<String, Object> raw) {
        return Json.MAPPER.convertValue(raw, MAP);
    }
}
