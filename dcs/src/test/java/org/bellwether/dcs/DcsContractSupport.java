package org.bellwether.dcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * What {@link DcsContract} needs from a backend (adapters on one cluster, raw access to the stored values, and the
 * faults), and the timing helpers its clauses share. Every test gets its own cluster prefix; adapters made through
 * {@link #adapter} are closed after the test.
 */
public abstract class DcsContractSupport {
    private final List<Dcs> adapters = new ArrayList<>();
    /** {@code /service/<test method>/}: each test is its own cluster. */
    protected String prefix;

    // ---- what a backend provides -------------------------------------------------------------------------------

    /** A new adapter for member {@code name} of the cluster at {@code prefix}. */
    protected abstract Dcs newAdapter(String prefix, String name, Duration ttl, Duration retryTimeout);

    /** Partitions {@code node} from the DCS: its requests and their answers are lost (timeouts, not errors). */
    protected abstract void cut(Dcs node);

    /** {@code node}'s requests reach the DCS and are applied, but the answers are lost. */
    protected abstract void dropReplies(Dcs node);

    /** Ends {@link #cut} and {@link #dropReplies}; the node's client reconnects. */
    protected abstract void heal(Dcs node);

    /** Stops every DCS server, starts them again, and returns once the DCS serves again. */
    protected abstract void restartServers() throws Exception;

    /** The stored values under {@code prefix}, by key relative to it, read with a plain client. */
    protected abstract Map<String, String> rawValues(String prefix) throws Exception;

    /** Writes a value with a plain client, as Patroni would. */
    protected abstract void writeRaw(String prefix, String relative, String value) throws Exception;

    /** Whether the stored key lives on {@code node}'s lease or session (and so dies with it). */
    protected abstract boolean livesWith(String prefix, String relative, Dcs node) throws Exception;

    /**
     * Makes {@code holder} stop renewing its lock. By default the test just stops calling it; a backend whose client
     * keeps the lock alive by itself (ZooKeeper's session heartbeat) must silence the client too.
     */
    protected void stopRenewing(Dcs holder) {}

    /** A ttl that no test outlives, and a short one for the tests that wait for expiry. */
    protected Duration ttl() {
        return Duration.ofSeconds(10);
    }

    protected Duration shortTtl() {
        return Duration.ofSeconds(2);
    }

    /** The time budget of every call. */
    protected Duration retry() {
        return Duration.ofSeconds(2);
    }

    /** How late after its ttl the backend may delete an expired key (expiry checks, a consensus round). */
    protected Duration expirySlack() {
        return Duration.ofMillis(1500);
    }

    // ---- bookkeeping -------------------------------------------------------------------------------------------

    @BeforeEach
    protected void scope(TestInfo test) {
        prefix = "/service/" + test.getTestMethod().orElseThrow().getName() + "/";
    }

    @AfterEach
    protected void closeAdapters() {
        for (Dcs dcs : adapters) {
            dcs.close();
        }
        adapters.clear();
    }

    protected Dcs adapter(String name, Duration ttl) {
        Dcs dcs = newAdapter(prefix, name, ttl, retry());
        adapters.add(dcs);
        return dcs;
    }

    protected static Member member(String name, MemberRole role) {
        return Member.of(name, "http://127.0.0.1:8008/patroni", "postgres://127.0.0.1:5432/postgres", "running", role);
    }

    // ---- timing ------------------------------------------------------------------------------------------------

    @FunctionalInterface
    protected interface DcsCall<T> {
        T call() throws Exception;
    }

    @FunctionalInterface
    protected interface Condition {
        boolean holds() throws Exception;
    }

    /** Runs a call that must finish within the budget (plus scheduling slack), and returns what it returned. */
    protected <T> T timed(DcsCall<T> call) throws Exception {
        long start = System.nanoTime();
        try {
            return call.call();
        } finally {
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("a DCS call ends within its budget")
                    .isLessThan(retry().plusMillis(700));
        }
    }

    /** Runs a call that must throw a {@link DcsException} within the budget, and returns the exception. */
    protected DcsException timedFailure(DcsCall<?> call) throws Exception {
        long start = System.nanoTime();
        try {
            call.call();
        } catch (DcsException e) {
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("a failing DCS call gives up within its budget")
                    .isLessThan(retry().plusMillis(700));
            return e;
        }
        throw new AssertionError("the call succeeded, but it was expected to fail");
    }

    /** Waits (up to 20 s) until {@code condition} holds; returns the time since {@code since} (a nanoTime). */
    protected static Duration awaitCondition(Condition condition, long since) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.holds()) {
            assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        return Duration.ofNanos(System.nanoTime() - since);
    }

    /** Keeps asking until a call succeeds, for reads right after a fault healed. */
    protected static <T> T eventually(DcsCall<T> call) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return call.call();
            } catch (DcsException e) {
                assertThat(System.nanoTime())
                        .as("succeeds within 20 s; last: %s", e.getMessage())
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }
}
