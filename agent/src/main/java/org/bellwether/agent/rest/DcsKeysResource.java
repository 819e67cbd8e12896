package org.bellwether.agent.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HistoryEntry;

/** {@code GET /history} and {@code GET /config}: two DCS keys as this node last read them, in their wire shape. */
final class DcsKeysResource {
    private DcsKeysResource() {}

    static void register(Router router) {
        router.get("/history", DcsKeysResource::history);
        router.get("/config", DcsKeysResource::config);
    }

    /** Each line {@code [timeline, switch_lsn, reason, timestamp?, new_leader?]}, as Patroni stores it. */
    static Response history(Request request) {
        ClusterView cluster = request.status()
                .cluster()
                .orElseThrow(() -> new HttpError(503, "the DCS has not been read yet; history unknown"));
        ArrayNode lines = Json.MAPPER.createArrayNode();
        for (HistoryEntry entry : cluster.history()) {
            ArrayNode line = lines.addArray();
            line.add(entry.timeline().value());
            line.add(entry.switchLsn().value());
            line.add(entry.reason());
            if (entry.timestamp().isPresent() || entry.newLeader().isPresent()) {
                line.add(entry.timestamp().orElse(null));
            }
            entry.newLeader().ifPresent(line::add);
        }
        return Response.json(200, lines);
    }

    /** 502 without a config key, as Patroni answers: the DCS, not this request, lacks it. */
    static Response config(Request request) {
        ClusterView cluster = request.status()
                .cluster()
                .orElseThrow(() -> new HttpError(502, "the DCS has not been read yet; no configuration known"));
        return cluster.config()
                .map(c -> Response.json(200, c.raw()))
                .orElseThrow(() -> new HttpError(502, "the DCS holds no config key"));
    }
}
