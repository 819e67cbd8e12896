package org.bellwether.agent.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bellwether.agent.FailsafeInbox;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Lsn;
import org.bellwether.core.status.NodeStatus;

/**
 * {@code GET /failsafe} (the {@code failsafe} key as last read) and {@code POST /failsafe}, which a primary that lost
 * the DCS sends to every member in failsafe mode. A replica acknowledges it and, for ttl, will not race for that
 * primary's lock; a node that runs as primary itself refuses (500), which makes the sender demote.
 */
public final class FailsafeResource {
    private final FailsafeInbox inbox;

    public FailsafeResource(FailsafeInbox inbox) {
        this.inbox = inbox;
    }

    public void register(Router router) {
        router.get("/failsafe", FailsafeResource::get);
        router.post("/failsafe", this::post);
    }

    static Response get(Request request) {
        NodeStatus status = request.status();
        if (!status.settings().failsafeMode()) {
            throw new HttpError(502, "failsafe_mode is not enabled");
        }
        return Response.json(
                200, status.cluster().flatMap(ClusterView::failsafe).orElse(new java.util.TreeMap<>()));
    }

    Response post(Request request) {
        NodeStatus status = request.status();
        if (!status.settings().failsafeMode()) {
            throw new HttpError(502, "failsafe_mode is not enabled");
        }
        ObjectNode body = request.jsonObjectBody();
        String primary = WriteApi.text(body, "name")
                .filter(name -> !name.isBlank())
                .orElseThrow(() -> HttpError.badRequest("field 'name' (the primary's member name) is missing"));
        if (status.local().isPrimary()) {
            throw new HttpError(500, "this node runs as primary itself; not acknowledging " + primary);
        }
        inbox.heard(primary, request.now());
        Lsn position = status.local().walPosition().orElse(Lsn.ZERO);
        return Response.text(200, "Accepted").withHeader("lsn", Long.toString(position.value()));
    }
}
