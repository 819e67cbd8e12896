package org.bellwether.agent.rest;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Exact-path routes by method. Adding an endpoint is one line ({@code router.post("/switchover", handler)}). HEAD and
 * OPTIONS are not registered: the server answers them with the GET handler's status and no body, which is what
 * HAProxy's {@code OPTIONS /} check and {@code HEAD /replica} need.
 */
public final class Router {
    private final Map<String, Map<String, Handler>> byPath = new TreeMap<>();

    public Router get(String path, Handler handler) {
        return add("GET", path, handler);
    }

    public Router post(String path, Handler handler) {
        return add("POST", path, handler);
    }

    public Router put(String path, Handler handler) {
        return add("PUT", path, handler);
    }

    public Router patch(String path, Handler handler) {
        return add("PATCH", path, handler);
    }

    public Router delete(String path, Handler handler) {
        return add("DELETE", path, handler);
    }

    private Router add(String method, String path, Handler handler) {
        Handler previous = byPath.computeIfAbsent(path, p -> new TreeMap<>()).putIfAbsent(method, handler);
        if (previous != null) {
            throw new IllegalStateException("route registered twice: " + method + " " + path);
        }
        return this;
    }

    Optional<Handler> find(String method, String path) {
        return Optional.ofNullable(byPath.getOrDefault(path, Map.of()).get(method));
    }

    /** The methods a path answers, for a 405's {@code Allow} header; empty when the path is unknown. */
    SortedSet<String> allowed(String path) {
        Map<String, Handler> methods = byPath.get(path);
        if (methods == null) {
            return Collections.emptySortedSet();
        }
        SortedSet<String> allowed = new TreeSet<>(methods.keySet());
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
            allowed.add("OPTIONS");
        }
        return allowed;
    }
}
