package org.bellwether.agent.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bellwether.core.MemberRole;
import org.bellwether.core.ha.NodeRequest;
import org.bellwether.core.ha.RequestAnswer;
import org.bellwether.core.ha.RestartConditions;
import org.bellwether.core.ha.SwitchoverPolicy;
import org.bellwether.core.ha.SwitchoverPolicy.Accepted;
import org.bellwether.core.ha.SwitchoverPolicy.Refused;
import org.bellwether.core.ha.SwitchoverPolicy.Verdict;

/**
 * {@code POST /restart}, {@code DELETE /restart}, {@code POST /reload}, {@code POST /reinitialize}: requests to this
 * node's loop. The body is checked here (400 naming the field); the loop decides and answers, and this thread waits
 * for the answer where Patroni answers synchronously (a restart answers once PostgreSQL is back).
 */
final class NodeRequestResource {
    private final WriteApi api;

    NodeRequestResource(WriteApi api) {
        this.api = api;
    }

    Response restart(Request request) {
        ObjectNode body = request.body().length == 0 ? Json.MAPPER.createObjectNode() : request.jsonObjectBody();
        Optional<Instant> schedule = Optional.empty();
        Optional<MemberRole> role = Optional.empty();
        OptionalInt version = OptionalInt.empty();
        Optional<Duration> timeout = Optional.empty();
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            JsonNode value = body.get(field);
            switch (field) {
                case "schedule" -> schedule = Optional.of(schedule(value));
                case "role" -> role = Optional.of(role(value));
                case "postgres_version" ->
                    version = OptionalInt.of(RestartConditions.parseVersion(value.asText())
                            .orElseThrow(() -> HttpError.badRequest(
                                    "postgres_version: expected a PostgreSQL version such as 15.4, got " + value)));
                case "timeout" -> timeout = Optional.of(timeout(value));
                case "restart_pending" -> {}
                default -> throw HttpError.badRequest("Unknown filter for the scheduled restart: " + field);
            }
        }
        if (schedule.isPresent() && request.status().isPaused()) {
            return Response.text(500, "Can't schedule restart in the paused state");
        }
        RestartConditions conditions =
                new RestartConditions(role, version, WriteApi.bool(body, "restart_pending"), timeout);
        NodeRequest.Body asked = schedule.<NodeRequest.Body>map(at -> new NodeRequest.ScheduleRestart(at, conditions))
                .orElseGet(() -> new NodeRequest.Restart(conditions));
        RequestAnswer answer = ask(asked);
        int status = switch (answer.result()) {
            case DONE -> 200;
            case SCHEDULED -> 202;
            case CONFLICT -> 409;
            default -> 503;
        };
        return Response.text(status, answer.message());
    }

    Response deleteRestart(Request request) {
        RequestAnswer answer = ask(new NodeRequest.CancelScheduledRestart());
        return Response.text(answer.result() == RequestAnswer.Result.DONE ? 200 : 404, answer.message());
    }

    /** Patroni answers at once; the loop reloads on its next cycle without a PostgreSQL operation. */
    Response reload(Request request) {
        CompletableFuture<RequestAnswer> answer = api.requests().submit(new NodeRequest.Reload());
        api.wake().run();
        answer.orTimeout(api.requestTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((a, e) -> {
            if (e != null) {
                api.requests().abandon(answer);
            }
        });
        return Response.text(202, "reload scheduled");
    }

    Response reinitialize(Request request) {
        ObjectNode body = request.body().length == 0 ? Json.MAPPER.createObjectNode() : request.jsonObjectBody();
        RequestAnswer answer =
                ask(new NodeRequest.Reinitialize(WriteApi.bool(body, "force"), WriteApi.bool(body, "from_leader")));
        return Response.text(answer.result() == RequestAnswer.Result.STARTED ? 200 : 503, answer.message());
    }

    private RequestAnswer ask(NodeRequest.Body body) {
        CompletableFuture<RequestAnswer> answer = api.requests().submit(body);
        api.wake().run();
        try {
            return answer.get(api.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            api.requests().abandon(answer);
            throw new HttpError(
                    503,
                    "no answer from the agent's loop within "
                            + api.requestTimeout().toSeconds() + " s; the outcome is unknown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            api.requests().abandon(answer);
            throw new HttpError(503, "interrupted while waiting for the agent's loop");
        } catch (ExecutionException e) {
            throw new HttpError(503, "the request failed: " + e.getCause());
        }
    }

    private Instant schedule(JsonNode value) {
        Verdict parsed = SwitchoverPolicy.parseSchedule(
                value.asText(), "restart", api.wallClock().instant());
        if (parsed instanceof Refused refused) {
            throw new HttpError(SwitchoverResource.status(refused.refusal()), refused.sentence());
        }
        return ((Accepted) parsed).intent().scheduledAt().orElseThrow();
    }

    private static MemberRole role(JsonNode value) {
        String text = value.asText();
        return switch (text) {
            case "primary", "master" -> MemberRole.PRIMARY;
            case "replica" -> MemberRole.REPLICA;
            case "standby_leader" -> MemberRole.STANDBY_LEADER;
            default ->
                throw HttpError.badRequest(
                        "PostgreSQL role should be either primary, standby_leader, or replica, got '" + text + "'");
        };
    }

    /** Patroni's {@code parse_int(value, 's')}: seconds, or a number with a unit (30s, 5min, 1h). */
    private static Duration timeout(JsonNode value) {
        String text = value.asText().trim();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|min|h|d)?").matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
            if (d.toSeconds() > 0) {
                return d;
            }
        }
        throw HttpError.badRequest("Timeout should be a positive number of seconds, got " + value);
    }
}
