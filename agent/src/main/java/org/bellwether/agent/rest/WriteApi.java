package org.bellwether.agent.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.agent.PeerFetcher;
import org.bellwether.agent.RequestQueue;
import org.bellwether.core.ClusterView;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsException;
import org.bellwether.postgres.ParameterCheck;
import org.bellwether.postgres.PostgresException;

/**
 * The unsafe endpoints (switchover, failover, restart, reload, reinitialize, configuration). They only record
 * intents: the {@code failover} and {@code config} keys with compare-and-set, or a request in the loop's queue; then
 * they wake the loop. Only the loop acts. Access ({@link AccessPolicy}) is checked before any of them runs.
 *
 * <p>Answers are plain text, as Patroni's are ({@code patronictl} prints them), except {@code /config}, which answers
 * with the configuration.
 *
 * @param pollInterval how often {@code POST /switchover} reads the DCS while it waits for the new leader (Patroni: 1 s)
 * @param requestTimeout how long a restart request may wait for the loop to answer
 * @param parameters what PostgreSQL would refuse of a set of {@code postgresql.parameters} ({@code /config} asks it
 *     before storing them)
 */
public record WriteApi(
        Dcs dcs,
        PeerFetcher peers,
        RequestQueue requests,
        Runnable wake,
        InstantSource wallClock,
        Duration pollInterval,
        Duration requestTimeout,
        ParameterJudge parameters) {

    /** What PostgreSQL would refuse of some parameters ({@code PostgresNode::checkParameters}). */
    @FunctionalInterface
    public interface ParameterJudge {
        List<ParameterCheck.Problem> check(Map<String, ?> parameters) throws PostgresException;
    }

    /** Production timings. */
    public static WriteApi of(
            Dcs dcs, PeerFetcher peers, RequestQueue requests, Runnable wake, ParameterJudge parameters) {
        return new WriteApi(
                dcs,
                peers,
                requests,
                wake,
                InstantSource.system(),
                Duration.ofMillis(250),
                Duration.ofMinutes(10),
                parameters);
    }

    /** Adds the routes; pass {@code api::register} as {@link RestApiServer}'s {@code moreRoutes}. */
    public void register(Router router) {
        SwitchoverResource switchover = new SwitchoverResource(this);
        router.post("/switchover", r -> switchover.post(r, false));
        router.post("/failover", r -> switchover.post(r, true));
        router.delete("/switchover", switchover::delete);
        ConfigWriteResource config = new ConfigWriteResource(this);
        router.patch("/config", config::patch);
        router.put("/config", config::put);
        NodeRequestResource node = new NodeRequestResource(this);
        router.post("/restart", node::restart);
        router.delete("/restart", node::deleteRestart);
        router.post("/reload", node::reload);
        router.post("/reinitialize", node::reinitialize);
    }

    /** One consistent read of the cluster, or 503 naming what failed. */
    ClusterView readCluster() {
        try {
            return dcs.read();
        } catch (DcsException e) {
            throw new HttpError(503, "cannot read the DCS: " + e.getMessage());
        }
    }

    /**
     * A body field as text: strings as they are, numbers and booleans as JSON prints them, null and absence as empty.
     *
     * @throws HttpError 400 naming the field when it holds an object or an array
     */
    static Optional<String> text(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isContainerNode()) {
            throw HttpError.badRequest(field + ": expected a string, got " + describe(value));
        }
        return Optional.of(value.isTextual() ? value.textValue() : value.toString());
    }

    /**
     * Patroni's {@code parse_bool}: true, yes, on, 1 are true and false, no, off, 0 false (any case); null and absence
     * are false.
     *
     * @throws HttpError 400 naming the field for any other value
     */
    static boolean bool(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() || value.isIntegralNumber()) {
            Optional<Boolean> read = org.bellwether.core.PatroniBool.parse(value.asText());
            if (read.isPresent()) {
                return read.get();
            }
        }
        throw HttpError.badRequest(field + ": expected true or false (or yes/no, on/off, 1/0), got " + describe(value));
    }

    /** A request value as an error message shows it: scalars as JSON writes them, containers by their kind. */
    static String describe(JsonNode value) {
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        String json = value.toString();
        return json.length() > 64 ? json.substring(0, 64) + "..." : json;
    }
}
