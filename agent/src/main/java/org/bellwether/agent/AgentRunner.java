package org.bellwether.agent;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.Decision;
import org.bellwether.core.ha.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the loop thread: runs a cycle, sleeps until loop_wait has passed since the cycle began or something wakes it,
 * and on shutdown stops PostgreSQL cleanly and hands the lock over at once.
 */
public final class AgentRunner {
    private static final Logger LOG = LoggerFactory.getLogger(AgentRunner.class);

    private final AgentLoop loop;
    private final Waker waker;
    private final Supplier<Duration> clock;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile int exitCode;
    private Runnable afterFirstCycle = () -> {};

    public AgentRunner(AgentLoop loop, Waker waker, Supplier<Duration> clock) {
        this.loop = loop;
        this.waker = waker;
        this.clock = clock;
    }

    /** What to do once the first cycle has completed (tell the service manager the agent is ready). */
    public void afterFirstCycle(Runnable action) {
        this.afterFirstCycle = action;
    }

    /** Runs cycles on the calling thread until {@link #requestStop()}; returns the process exit code. */
    public int run() {
        boolean completedOne = false;
        try {
            while (!stopping) {
                Duration started = clock.get();
                Decision decision = runCycleSafely();
                if (decision != null && !completedOne && !loop.isTerminal()) {
                    completedOne = true;
                    afterFirstCycle.run();
                }
                if (loop.isTerminal()) {
                    LOG.error(
                            "{}; stopping without touching PostgreSQL",
                            decision == null ? "refusing" : decision.reason().detail());
                    exitCode = 1;
                    break;
                }
                Duration next = started.plus(loop.cycleInterval());
                Duration sleep = next.minus(clock.get());
                if (!sleep.isNegative() && !stopping) {
                    waker.await(sleep);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
        return exitCode;
    }

    private Decision runCycleSafely() {
        try {
            return loop.runCycle(false);
        } catch (RuntimeException e) {
            // A bug must not kill the loop: the next cycle observes afresh. The lock is only ever extended by a
            // successful renew, so a loop that keeps failing lets it expire.
            LOG.error("unexpected error in HA cycle (a bug; the next cycle starts afresh)", e);
            return null;
        }
    }

    public void requestStop() {
        stopping = true;
        waker.wake();
    }

    /**
     * The clean shutdown of SIGTERM: let the current cycle end, wait for a running operation, let a synchronous
     * standby be released by the leader, stop PostgreSQL (fast: replicas receive everything up to the shutdown
     * checkpoint), then release the lock so a replica takes over at once instead of waiting for the lease to expire.
     * Skipped for a node that refused its data directory.
     */
    public void shutdown(Duration timeout) {
        requestStop();
        try {
            stopped.await();
            if (loop.isTerminal()) {
                return;
            }
            awaitIdle(timeout);
            if (loop.settings().pause()) {
                LOG.info("paused: leaving PostgreSQL running and the lock in place");
                return;
            }
            org.bellwether.core.ha.LocalPostgres local = loop.postgres().observe();
            if (local.runState() != org.bellwether.core.ha.LocalPostgres.RunState.STOPPED) {
                loop.releaseSyncStandbyBeforeStop(local);
                loop.postgres().stop(StopMode.FAST);
                loop.callbacks().after(new org.bellwether.core.ha.Action.Stop(StopMode.FAST), local);
            }
            loop.releaseLockOnShutdown();
            loop.fence().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("PostgreSQL did not stop cleanly, keeping the leader lock: {}", e.getMessage());
        }
    }

    private void awaitIdle(Duration timeout) throws InterruptedException {
        Duration deadline = clock.get().plus(timeout);
        while (loop.operations().isBusy() && clock.get().compareTo(deadline) < 0) {
            Thread.sleep(50);
        }
    }

    public static boolean isRefusal(Reason reason) {
        return reason.code() == Reason.Code.SYSTEM_ID_MISMATCH;
    }
}
