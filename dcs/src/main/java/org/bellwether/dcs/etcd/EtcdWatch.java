package org.bellwether.dcs.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch on the cluster prefix that wakes the listeners when a key that matters changes. It lives on the endpoint
 * that last answered a call and follows it when the adapter switches endpoints; after an error it is restarted on the
 * endpoint in use, after a delay that doubles while etcd stays unreachable. Because events may have been missed in
 * between, a watch that is (re)established wakes the listeners once.
 */
final class EtcdWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdWatch.class);
    private static final long FIRST_RESTART_DELAY_MILLIS = 500;
    private static final long MAX_RESTART_DELAY_MILLIS = 8000;

    private final EtcdEndpoints endpoints;
    private final String prefix;
    private final Predicate<String> wakes;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bellwether-etcd-watch");
        t.setDaemon(true);
        return t;
    });

    private Watch.Watcher watcher;
    private EtcdEndpoints.Endpoint on;
    private long generation;
    private boolean restartPending;
    private boolean closed;
    private long restartDelayMillis = FIRST_RESTART_DELAY_MILLIS;
    private int failuresInARow;

    /** @param wakes whether a change of this key (relative to {@code prefix}) should wake the listeners */
    EtcdWatch(EtcdEndpoints endpoints, String prefix, Predicate<String> wakes) {
        this.endpoints = endpoints;
        this.prefix = prefix;
        this.wakes = wakes;
    }

    void addListener(Runnable listener) {
        listeners.add(listener);
        synchronized (this) {
            if (watcher == null && !restartPending && !closed) {
                startOn(null);
            }
        }
    }

    /** Moves the watch to {@code endpoint} when it answered a call and the watch is elsewhere. */
    synchronized void follow(EtcdEndpoints.Endpoint endpoint) {
        if (closed || listeners.isEmpty()) {
            return;
        }
        // etcd answered a call: a watch that keeps failing may now be restarted without waiting out its back-off.
        restartDelayMillis = FIRST_RESTART_DELAY_MILLIS;
        if (restartPending) {
            return;
        }
        if (on == null
                || on.index() != endpoint.index()
                || on.generation() != endpoint.generation()
                || watcher == null) {
            startOn(endpoint);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            stop();
        }
        scheduler.shutdownNow();
    }

    private void startOn(EtcdEndpoints.Endpoint endpoint) {
        stop();
        EtcdEndpoints.Endpoint target;
        try {
            target = endpoint != null ? endpoint : endpoints.current();
        } catch (IllegalStateException e) {
            return;
        }
        long mine = ++generation;
        ByteSequence key = ByteSequence.from(prefix, StandardCharsets.UTF_8);
        WatchOption option = WatchOption.builder()
                .isPrefix(true)
                .withRequireLeader(true)
                .withCreateNotify(true)
                .build();
        try {
            watcher = target.client()
                    .getWatchClient()
                    .watch(
                            key,
                            option,
                            Watch.listener(
                                    r -> onNext(mine, r),
                                    e -> onError(mine, target, e),
                                    () -> onError(mine, target, null)));
            on = target;
            LOG.debug("watching {} on {}", prefix, target.url());
        } catch (RuntimeException e) {
            onError(mine, target, e);
        }
    }

    private void stop() {
        // Closing our own watcher calls back onCompleted; the new generation tells that call to ignore it.
        generation++;
        if (watcher != null) {
            try {
                watcher.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a watch failed", e);
            }
        }
        watcher = null;
        on = null;
    }

    private void onNext(long mine, WatchResponse response) {
        boolean established;
        synchronized (this) {
            if (mine != generation || closed) {
                return;
            }
            established = response.isCreatedNotify();
            if (established) {
                if (failuresInARow > 0) {
                    LOG.info("watch on {} established again at {}", prefix, on == null ? "?" : on.url());
                }
                failuresInARow = 0;
                restartDelayMillis = FIRST_RESTART_DELAY_MILLIS;
            }
        }
        if (established) {
            fire();
            return;
        }
        for (WatchEvent event : response.getEvents()) {
            String key = event.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
            if (key.startsWith(prefix) && wakes.test(key.substring(prefix.length()))) {
                fire();
                return;
            }
        }
    }

    private void onError(long mine, EtcdEndpoints.Endpoint endpoint, Throwable error) {
        synchronized (this) {
            if (mine != generation || closed) {
                return;
            }
            String reason = error == null ? "completed" : error.getMessage();
            if (failuresInARow++ == 0) {
                LOG.info("watch on {} at {} ended ({}); restarting", prefix, endpoint.url(), reason);
            } else {
                LOG.debug("watch on {} at {} failed again ({})", prefix, endpoint.url(), reason);
            }
            stop();
            if (error != null) {
                EtcdCalls.Failure failure = EtcdCalls.classify(error, endpoint.url());
                if (failure.kind() == EtcdCalls.Kind.ENDPOINT) {
                    endpoints.failed(endpoint, failure.getMessage());
                }
            }
            restartPending = true;
        }
        long delay;
        synchronized (this) {
            delay = restartDelayMillis;
            restartDelayMillis = Math.min(MAX_RESTART_DELAY_MILLIS, restartDelayMillis * 2);
        }
        try {
            scheduler.schedule(this::restart, delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.debug("watch restart not scheduled (closing)", e);
        }
    }

    private void restart() {
        synchronized (this) {
            restartPending = false;
            if (closed || watcher != null) {
                return;
            }
            startOn(null);
        }
    }

    private void fire() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("a DCS change listener failed", e);
            }
        }
    }
}
