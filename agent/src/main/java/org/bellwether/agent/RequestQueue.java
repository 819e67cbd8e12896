package org.bellwether.agent;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.bellwether.core.ha.Action;
import org.bellwether.core.ha.Decision;
import org.bellwether.core.ha.NodeRequest;
import org.bellwether.core.ha.Operation;
import org.bellwether.core.ha.RequestAnswer;
import org.bellwether.core.ha.RequestAnswer.Result;

/**
 * Operator requests on their way from the REST API to the loop and back. A REST thread submits one and waits on its
 * future; the loop observes the oldest unanswered one and settles it with the cycle's decision. A restart is answered
 * only when its operation has finished, since Patroni's {@code POST /restart} answers after the restart; anything
 * else is answered by the decision itself. A request the decision did not answer stays for the next cycle.
 */
public final class RequestQueue {
    private record Pending(NodeRequest request, CompletableFuture<RequestAnswer> answer) {}

    private final AtomicLong ids = new AtomicLong();
    private final Deque<Pending> queue = new ArrayDeque<>();
    /** Restarts under way: answered when an operation of this kind finishes. */
    private final Map<Long, Pending> awaitingRestart = new LinkedHashMap<>();

    /** Queues a request; the future completes with the loop's answer. */
    public synchronized CompletableFuture<RequestAnswer> submit(NodeRequest.Body body) {
        Pending pending = new Pending(new NodeRequest(ids.incrementAndGet(), body), new CompletableFuture<>());
        queue.addLast(pending);
        return pending.answer();
    }

    /** The oldest request not answered yet, for the next observation. */
    public synchronized Optional<NodeRequest> peek() {
        return Optional.ofNullable(queue.peekFirst()).map(Pending::request);
    }

    /**
     * Settles the request a cycle observed with that cycle's decision. A plan that stopped early did not do what
     * the answer says, so a "done" or "started" answer becomes a refusal.
     */
    public synchronized void settle(Optional<NodeRequest> observed, Decision decision, boolean planCompleted) {
        if (observed.isEmpty() || decision.answer().isEmpty()) {
            return;
        }
        Pending pending = queue.peekFirst();
        RequestAnswer answer = decision.answer().get();
        if (pending == null || pending.request().id() != answer.requestId()) {
            return;
        }
        queue.removeFirst();
        boolean acted = answer.result() == Result.STARTED || answer.result() == Result.DONE;
        if (acted && !planCompleted) {
            pending.answer()
                    .complete(new RequestAnswer(
                            answer.requestId(),
                            Result.REFUSED,
                            "not done: a step before it failed (see the agent log)"));
            return;
        }
        boolean restart = pending.request().body() instanceof NodeRequest.Restart;
        if (restart && answer.result() == Result.STARTED) {
            awaitingRestart.put(answer.requestId(), pending);
            return;
        }
        pending.answer().complete(answer);
    }

    /** A finished operation answers the restarts that were waiting for it. */
    public synchronized void operationFinished(Operation operation) {
        if (operation.kind() != Action.Kind.RESTART || operation.isRunning() || awaitingRestart.isEmpty()) {
            return;
        }
        boolean ok = operation.phase() == Operation.Phase.SUCCEEDED;
        for (Pending pending : awaitingRestart.values()) {
            pending.answer()
                    .complete(new RequestAnswer(
                            pending.request().id(),
                            ok ? Result.DONE : Result.REFUSED,
                            ok
                                    ? "restarted successfully"
                                    : "restart failed: " + operation.error().orElse("no detail")));
        }
        awaitingRestart.clear();
    }

    /** Forgets a request whose caller stopped waiting, unless the loop already took it up. */
    public synchronized void abandon(CompletableFuture<RequestAnswer> answer) {
        queue.removeIf(p -> p.answer() == answer);
        awaitingRestart.values().removeIf(p -> p.answer() == answer);
    }
}
