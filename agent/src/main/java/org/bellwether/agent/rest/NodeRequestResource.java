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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Pattern TIMEOUT = Pattern.compile("(\\d+)\\s*(ms|s|min|h|d)?");
    private static final Pattern VERSION = Pattern.compile("\\d{1,4}(\\.\\d{1,4}){1,2}");
    /** The longest restart timeout taken: what a signed 32-bit count of seconds holds, some 68 years. */
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(Integer.MAX_VALUE);

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
                case "postgres_version" -> version = OptionalInt.of(version(value));
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
        if (!value.isTextual()) {
            throw HttpError.badRequest("schedule: expected a timestamp such as 2026-03-01T13:00:00+00:00, got "
                    + WriteApi.describe(value));
        }
        Verdict parsed = SwitchoverPolicy.parseSchedule(
                value.asText(), "restart", api.wallClock().instant());
        if (parsed instanceof Refused refused) {
            throw new HttpError(SwitchoverResource.status(refused.refusal()), refused.sentence());
        }
        return ((Accepted) parsed).intent().scheduledAt().orElseThrow();
    }

    private static MemberRole role(JsonNode value) {
        return switch (value.isTextual() ? value.textValue() : "") {
            case "primary", "master" -> MemberRole.PRIMARY;
            case "replica" -> MemberRole.REPLICA;
            case "standby_leader" -> MemberRole.STANDBY_LEADER;
            default ->
                throw HttpError.badRequest("PostgreSQL role should be either primary, standby_leader, or replica, got "
                        + WriteApi.describe(value));
        };
    }

    /** A version as {@code server_version_num}; at most four digits a part, so that the number cannot overflow. */
    private static int version(JsonNode value) {
        String text = value.isTextual() || value.isNumber() ? value.asText().trim() : "";
        OptionalInt parsed =
                VERSION.matcher(text).matches() ? RestartConditions.parseVersion(text) : OptionalInt.empty();
        return parsed.orElseThrow(() -> HttpError.badRequest(
                "postgres_version: expected a PostgreSQL version such as 15.4, got " + WriteApi.describe(value)));
    }

    /**
     * Patroni's {@code parse_int(value, 's')}: seconds, or a number with a unit (30s, 5min, 1h), positive and at most
     * {@link #MAX_TIMEOUT}.
     */
    private static Duration timeout(JsonNode value) {
        Matcher m = TIMEOUT.matcher(
                value.isTextual() || value.isIntegralNumber() ? value.asText().trim() : "");
        if (!m.matches()) {
            throw HttpError.badRequest("timeout: should be a positive number of seconds, or one with a unit"
                    + " (ms, s, min, h, d), got " + WriteApi.describe(value));
        }
        Duration timeout;
        try {
            long n = Long.parseLong(m.group(1));
            timeout = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            timeout = null; // more digits than a long, or more seconds than a Duration holds
        }
        if (timeout == null || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw HttpError.badRequest("timeout: " + WriteApi.describe(value) + " is out of range; at most "
                    + MAX_TIMEOUT.toSeconds() + " seconds");
        }
        if (timeout.toSeconds() <= 0) {
            throw HttpError.badRequest(
                    "timeout: should be a positive number of seconds, got " + WriteApi.describe(value));
        }
        return timeout;
    }
}
