package org.bellwether.dcs.etcd;

import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.bellwether.dcs.DcsException;

/**
 * Runs one DCS operation within the time budget: attempts on the endpoint in use, moves to the next endpoint when one
 * fails, re-grants the lease when etcd says it is gone, and gives up with a {@link DcsException} that says what was
 * being done once the budget is spent.
 *
 * <p>An attempt that failed on the way may still have been applied by etcd; later attempts see
 * {@link Attempt#retried()} so that compare-and-set operations can recognise their own earlier write.
 */
final class EtcdCalls {
    /** Pause after every endpoint failed once, so that a dead cluster is not hammered. */
    private static final long CYCLE_PAUSE_MILLIS = 250;

    private static final int MAX_LEASE_RETRIES = 2;

    /** One try of an operation; throws {@link Failure} to let the loop decide what comes next. */
    @FunctionalInterface
    interface Operation<T> {
        T run(Attempt attempt);
    }

    /** Why an attempt failed, and so what the loop does next. */
    enum Kind {
        /** The endpoint or the cluster could not serve it (unreachable, no leader, timeout): try the next one. */
        ENDPOINT,
        /** etcd no longer knows this node's lease: forget it and try again with a new one. */
        LEASE_NOT_FOUND,
        /** etcd refused it (permissions, bad request, space exhausted): retrying will not help. */
        REFUSED
    }

    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Kind kind;

        Failure(Kind kind, String message, Throwable cause) {
            super(message, cause, false, false);
            this.kind = kind;
        }

        Kind kind() {
            return kind;
        }
    }

    /** What an operation needs during one attempt: the endpoint's client and a bounded wait for its futures. */
    static final class Attempt {
        private final EtcdEndpoints.Endpoint endpoint;
        private final long deadline;
        private final boolean retried;

        Attempt(EtcdEndpoints.Endpoint endpoint, long deadline, boolean retried) {
            this.endpoint = endpoint;
            this.deadline = deadline;
            this.retried = retried;
        }

        io.etcd.jetcd.Client client() {
            return endpoint.client();
        }

        /** True when an earlier attempt of this call may have been applied although it failed. */
        boolean retried() {
            return retried;
        }

        /** Waits for {@code future} until the call's deadline; failures become {@link Failure}. */
        <R> R await(CompletableFuture<R> future) {
            long remaining = deadline - System.nanoTime();
            try {
                return future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw new Failure(Kind.ENDPOINT, "deadline exceeded on " + endpoint.url(), e);
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new Failure(Kind.REFUSED, "interrupted", e);
            } catch (ExecutionException | CompletionException | CancellationException e) {
                throw classify(e.getCause() == null ? e : e.getCause(), endpoint.url());
            }
        }
    }

    private final EtcdEndpoints endpoints;
    private final Runnable onLeaseNotFound;
    private final Consumer<EtcdEndpoints.Endpoint> onSuccess;
    private volatile Duration budget;

    EtcdCalls(
            EtcdEndpoints endpoints,
            Duration budget,
            Runnable onLeaseNotFound,
            Consumer<EtcdEndpoints.Endpoint> onSuccess) {
        this.endpoints = endpoints;
        this.onLeaseNotFound = onLeaseNotFound;
        this.onSuccess = onSuccess;
        budget(budget);
    }

    void budget(Duration budget) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("retry_timeout must be positive: " + budget);
        }
        this.budget = budget;
        endpoints.budget(budget);
    }

    Duration budget() {
        return budget;
    }

    <T> T call(String what, Operation<T> operation) throws DcsException {
        Duration callBudget = budget;
        long start = System.nanoTime();
        long deadline = start + callBudget.toNanos();
        boolean retried = false;
        int attempts = 0;
        int leaseRetries = 0;
        int failedInCycle = 0;
        Failure last = null;
        // The last failure that says why: an attempt cut short by the call's deadline says only that it was.
        Failure telling = null;
        while (true) {
            if (attempts > 0 && System.nanoTime() >= deadline) {
                throw new DcsException(what + ": deadline exceeded after " + millis(System.nanoTime() - start)
                        + " ms and " + attempts + " attempt(s) on " + endpoints + "; last error: "
                        + (telling != null ? telling : last).getMessage());
            }
            EtcdEndpoints.Endpoint endpoint;
            try {
                endpoint = endpoints.current();
            } catch (IllegalStateException e) {
                throw new DcsException(what + ": " + e.getMessage(), e);
            }
            attempts++;
            try {
                T result = operation.run(new Attempt(endpoint, deadline, retried));
                endpoints.succeeded(endpoint);
                onSuccess.accept(endpoint);
                return result;
            } catch (Failure f) {
                last = f;
                if (!(f.getCause() instanceof TimeoutException)) {
                    telling = f;
                }
                switch (f.kind()) {
                    case REFUSED -> throw new DcsException(what + ": " + f.getMessage(), f);
                    case LEASE_NOT_FOUND -> {
                        onLeaseNotFound.run();
                        if (++leaseRetries > MAX_LEASE_RETRIES) {
                            throw new DcsException(what + ": " + f.getMessage(), f);
                        }
                    }
                    case ENDPOINT -> {
                        retried = true;
                        endpoints.failed(endpoint, f.getMessage());
                        if (++failedInCycle >= endpoints.size()) {
                            failedInCycle = 0;
                            pause(Math.min(CYCLE_PAUSE_MILLIS, millis(deadline - System.nanoTime())));
                        }
                    }
                }
            } catch (RuntimeException e) {
                // jetcd throws synchronously when its client was closed under us (the endpoint was dropped).
                last = classify(e, endpoint.url());
                telling = last;
                if (last.kind() != Kind.ENDPOINT) {
                    throw new DcsException(what + ": " + last.getMessage(), e);
                }
                retried = true;
                endpoints.failed(endpoint, last.getMessage());
            }
        }
    }

    static Failure classify(Throwable error, String url) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String code;
        String message;
        if (t instanceof EtcdException e) {
            code = e.getErrorCode().name();
            message = e.getMessage();
        } else {
            Status status = Status.fromThrowable(t);
            code = status.getCode().name();
            message = status.getDescription() != null ? status.getDescription() : String.valueOf(t.getMessage());
        }
        String text = code + ": " + withCauses(message, t) + " (on " + url + ")";
        if (code.equals("NOT_FOUND")
                && message != null
                && message.toLowerCase(Locale.ROOT).contains("lease")) {
            return new Failure(Kind.LEASE_NOT_FOUND, text, t);
        }
        return switch (code) {
            case "INVALID_ARGUMENT",
                    "PERMISSION_DENIED",
                    "UNAUTHENTICATED",
                    "FAILED_PRECONDITION",
                    "OUT_OF_RANGE",
                    "RESOURCE_EXHAUSTED",
                    "ALREADY_EXISTS",
                    "UNIMPLEMENTED",
                    "NOT_FOUND" -> new Failure(Kind.REFUSED, text, t);
            default -> new Failure(Kind.ENDPOINT, text, t);
        };
    }

    /** gRPC often says only "UNAUTHENTICATED"; etcd's reason ("invalid user ID or password") is further down. */
    private static String withCauses(String message, Throwable t) {
        StringBuilder text = new StringBuilder(String.valueOf(message));
        int depth = 0;
        for (Throwable c = t.getCause(); c != null && c != t && depth < 4; c = c.getCause(), depth++) {
            String m = c instanceof io.grpc.StatusRuntimeException s
                    ? s.getStatus().getDescription()
                    : c.getMessage();
            if (m != null && !m.isBlank() && text.indexOf(m) < 0) {
                text.append(": ").append(m);
            }
        }
        return text.toString();
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(Math.max(0, nanos));
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
