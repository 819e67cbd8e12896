package org.bellwether.agent.rest;

import org.bellwether.core.status.HealthAnswer;
import org.bellwether.core.status.HealthCheck;
import org.bellwether.core.status.HealthEndpoint;
import org.bellwether.core.status.HealthQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health checks, one route per Patroni path. The answer comes from the core; this class only reads the query
 * and shapes the response: GET gets the {@code /patroni} body (clients read the role from it), liveness and readiness
 * get a status line only, as in Patroni.
 */
final class HealthResource {
    private static final Logger LOG = LoggerFactory.getLogger(HealthResource.class);

    private final HealthEndpoint endpoint;

    private HealthResource(HealthEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    static void register(Router router) {
        for (HealthEndpoint endpoint : HealthEndpoint.values()) {
            HealthResource resource = new HealthResource(endpoint);
            for (String path : endpoint.paths()) {
                router.get(path, resource::get);
            }
        }
    }

    private Response get(Request request) {
        HealthQuery query;
        try {
            query = HealthQuery.parse(endpoint, request.query());
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        HealthAnswer answer = HealthCheck.evaluate(request.status(), request.now(), query);
        if (!answer.isOk()) {
            LOG.debug("{} {}: {} ({})", request.method(), request.path(), answer.status(), answer.detail());
        }
        if (endpoint.statusOnly()) {
            return Response.statusOnly(answer.status());
        }
        return Response.json(answer.status(), StatusJson.build(request.status(), request.now()));
    }
}
