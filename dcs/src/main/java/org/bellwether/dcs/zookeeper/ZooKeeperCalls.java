package org.bellwether.dcs.zookeeper;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.bellwether.dcs.DcsException;

/**
 * Runs one DCS operation within the time budget: waits for the session to be connected, runs an attempt, and after
 * a connection-level failure (connection loss, request timeout, session moved or expired) waits and tries again,
 * until the budget is spent. Then it throws a {@link DcsException} saying what was being done and why it failed.
 *
 * <p>Attempts run on a worker thread so that the caller's wait ends at the deadline even when ZooKeeper would block
 * longer (a synchronous request waits up to two thirds of the session timeout for a dead connection). An attempt
 * that failed on the way may have been applied by the server; later attempts see {@link Attempt#retried()} so that
 * creates and compare-and-set writes can recognise their own earlier write.
 */
final class ZooKeeperCalls implements AutoCloseable {
    private static final long RETRY_PAUSE_MILLIS = 100;

    /** Failures of the connection or session, after which the same request may succeed. */
    private static final Set<KeeperException.Code> RETRYABLE = EnumSet.of(
            KeeperException.Code.CONNECTIONLOSS,
            KeeperException.Code.OPERATIONTIMEOUT,
            KeeperException.Code.SESSIONEXPIRED,
            KeeperException.Code.SESSIONMOVED,
            KeeperException.Code.REQUESTTIMEOUT,
            KeeperException.Code.THROTTLEDOP);

    /** One try of an operation. */
    @FunctionalInterface
    interface Operation<T> {
        T run(Attempt attempt) throws Exception;
    }

    /** An operation's own verdict that retrying will not change; its message becomes the exception's reason. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** What an operation needs during one attempt. */
    static final class Attempt {
        private final ZooKeeperSession session;
        private final boolean retried;

        Attempt(ZooKeeperSession session, boolean retried) {
            this.session = session;
            this.retried = retried;
        }

        CuratorFramework client() {
            return session.client();
        }

        ZooKeeper zk() throws Exception {
            return session.handle();
        }

        ZooKeeperSession session() {
            return session;
        }

        /** True when an earlier attempt of this call may have been applied although it failed. */
        boolean retried() {
            return retried;
        }
    }

    private final Supplier<ZooKeeperSession> session;
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bellwether-zk-call-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private volatile Duration budget;

    ZooKeeperCalls(Supplier<ZooKeeperSession> session, Duration budget) {
        this.session = session;
        budget(budget);
    }

    void budget(Duration budget) {
        if (budget == null || budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("retry_timeout must be positive: " + budget);
        }
        this.budget = budget;
    }

    Duration budget() {
        return budget;
    }

    /** The deadline of a call starting now. */
    long deadline() {
        return System.nanoTime() + budget.toNanos();
    }

    /** Runs {@code operation} on the adapter's current session until it succeeds, is refused, or {@code deadline}. */
    <T> T call(String what, long deadline, Operation<T> operation) throws DcsException {
        return run(session, what, deadline, operation);
    }

    /** Runs on {@code fixed} rather than the adapter's current session (while moving to a new one). */
    <T> T callOn(ZooKeeperSession fixed, String what, long deadline, Operation<T> operation) throws DcsException {
        return run(() -> fixed, what, deadline, operation);
    }

    private <T> T run(Supplier<ZooKeeperSession> session, String what, long deadline, Operation<T> operation)
            throws DcsException {
        long start = System.nanoTime();
        boolean retried = false;
        int attempts = 0;
        String last = null;
        while (true) {
            ZooKeeperSession s = session.get();
            long remaining = deadline - System.nanoTime();
            try {
                if (remaining <= 0 || !s.awaitConnected(remaining)) {
                    throw new DcsException(what + ": no connection to ZooKeeper at " + s.hosts() + " within "
                            + millis(System.nanoTime() - start) + " ms (" + s.describeState() + ", " + attempts
                            + " attempt(s))" + (last == null ? "" : "; last error: " + last));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DcsException(what + ": interrupted", e);
            }
            attempts++;
            Attempt attempt = new Attempt(s, retried);
            Future<T> future = executor.submit(() -> operation.run(attempt));
            try {
                return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw new DcsException(what + ": deadline exceeded after " + millis(System.nanoTime() - start)
                        + " ms and " + attempts + " attempt(s) on ZooKeeper at " + s.hosts()
                        + " (the last request may still be applied)" + (last == null ? "" : "; last error: " + last));
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new DcsException(what + ": interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof Refused) {
                    throw new DcsException(what + ": " + cause.getMessage(), cause);
                }
                if (cause instanceof KeeperException k && RETRYABLE.contains(k.code())) {
                    retried = true;
                    last = describe(k);
                    pause(Math.min(RETRY_PAUSE_MILLIS, millis(deadline - System.nanoTime())));
                    continue;
                }
                if (cause instanceof KeeperException k) {
                    throw new DcsException(what + ": " + describe(k), k);
                }
                throw new DcsException(what + ": " + cause, cause);
            }
        }
    }

    /** "NOAUTH for /service/demo/leader" rather than KeeperException's "KeeperErrorCode = NoAuth for ...". */
    static String describe(KeeperException k) {
        return k.code() + (k.getPath() == null ? "" : " for " + k.getPath());
    }

    @Override
    public void close() {
        executor.shutdownNow();
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
