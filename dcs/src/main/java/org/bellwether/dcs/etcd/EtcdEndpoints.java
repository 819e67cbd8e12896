package org.bellwether.dcs.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.bellwether.config.EtcdConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One jetcd client per etcd endpoint, and which endpoint is in use. Like Patroni, the adapter sticks to one endpoint
 * and moves to the next when it fails, instead of letting gRPC pick: a single multi-address channel keeps using a
 * member that is connected but useless (frozen, partitioned, without leader), and after a long outage gRPC's
 * reconnect back-off (up to two minutes) can delay recovery long after etcd is back.
 *
 * <p>Every unary RPC gets a gRPC deadline (the per-attempt share of the time budget), so that a call abandoned by the
 * caller cannot linger and be applied much later. Clients are built lazily and dropped (to be rebuilt) after they
 * fail, which also resets gRPC's back-off.
 */
final class EtcdEndpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdEndpoints.class);
    /** A client is rebuilt after a failure only when it is older than this, so a dead cluster does not churn. */
    private static final long REBUILD_AFTER_NANOS = TimeUnit.SECONDS.toNanos(2);
    /**
     * A dropped client is closed this much later. jetcd tells a watch listener about an error and only then
     * reschedules the watch on the client's own executor (500 ms ahead), without looking again whether the watch or
     * client was closed meanwhile; closing the client from the listener at once makes that reschedule fail with a
     * RejectedExecutionException that gRPC logs with a stack trace. Later, the rescheduled watch finds itself
     * closed and does nothing.
     */
    private static final long CLOSE_DROPPED_AFTER_MILLIS = 2000;

    /** The endpoint a call goes to; {@code index} identifies it for {@link #failed}. */
    record Endpoint(int index, String url, Client client, long generation) {}

    private final List<String> urls;
    private final EtcdConfig config;
    private final ExecutorService executor;
    private final AtomicLong rpcTimeoutMillis = new AtomicLong(1000);
    private final Client[] clients;
    private final long[] builtAt;
    private final long[] generations;
    private final List<Client> dropped = new ArrayList<>();
    private final AtomicInteger threads = new AtomicInteger();
    private int current;
    private int lastGood = -1;
    private boolean closed;

    EtcdEndpoints(EtcdConfig config) {
        if (config.hosts().isEmpty()) {
            throw new IllegalArgumentException("etcd3: no hosts configured");
        }
        this.config = config;
        this.urls = List.copyOf(config.endpoints());
        for (String url : urls) {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException(
                        "etcd3: protocol must be http or https, not '" + uri.getScheme() + "' in " + url);
            }
        }
        this.clients = new Client[urls.size()];
        this.builtAt = new long[urls.size()];
        this.generations = new long[urls.size()];
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bellwether-etcd-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    List<String> urls() {
        return urls;
    }

    int size() {
        return urls.size();
    }

    /** The gRPC deadline of each unary RPC: the share of {@code budget} one endpoint gets, at least a second. */
    void budget(Duration budget) {
        long share = Math.max(1000, budget.toMillis() / urls.size());
        rpcTimeoutMillis.set(Math.min(share, Math.max(1, budget.toMillis())));
    }

    /** The endpoint in use, its client built if needed. */
    synchronized Endpoint current() {
        if (closed) {
            throw new IllegalStateException("the etcd client is closed");
        }
        if (clients[current] == null) {
            clients[current] = build(urls.get(current));
            builtAt[current] = System.nanoTime();
            generations[current]++;
        }
        return new Endpoint(current, urls.get(current), clients[current], generations[current]);
    }

    /**
     * The endpoint did not answer usefully: move to the next one (if it is still the one in use) and drop its client
     * when it has been around long enough for gRPC's reconnect back-off to matter.
     */
    synchronized void failed(Endpoint endpoint, String reason) {
        if (closed) {
            return;
        }
        int i = endpoint.index();
        boolean wasGood = lastGood == i;
        if (wasGood) {
            lastGood = -1;
        }
        if (clients[i] != null
                && generations[i] == endpoint.generation()
                && System.nanoTime() - builtAt[i] > REBUILD_AFTER_NANOS) {
            drop(clients[i]);
            clients[i] = null;
        }
        if (current == i && urls.size() > 1) {
            current = (current + 1) % urls.size();
            // Once per outage at INFO: while nothing answers, every attempt would log a line.
            if (wasGood) {
                LOG.info("etcd endpoint {} failed ({}); switching to {}", endpoint.url(), reason, urls.get(current));
            } else {
                LOG.debug("etcd endpoint {} failed ({}); switching to {}", endpoint.url(), reason, urls.get(current));
            }
        }
    }

    /** The endpoint answered: it is the one to leave loudly when it fails. */
    synchronized void succeeded(Endpoint endpoint) {
        lastGood = endpoint.index();
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (int i = 0; i < clients.length; i++) {
            if (clients[i] != null) {
                closeQuietly(clients[i]);
                clients[i] = null;
            }
        }
        dropped.forEach(EtcdEndpoints::closeQuietly);
        dropped.clear();
        executor.shutdownNow();
    }

    private void drop(Client client) {
        dropped.add(client);
        Executor later = CompletableFuture.delayedExecutor(CLOSE_DROPPED_AFTER_MILLIS, TimeUnit.MILLISECONDS, executor);
        try {
            later.execute(() -> {
                synchronized (this) {
                    if (!dropped.remove(client)) {
                        return;
                    }
                }
                closeQuietly(client);
            });
        } catch (RejectedExecutionException e) {
            // Closing: close() takes care of the dropped clients.
        }
    }

    private Client build(String url) {
        ClientBuilder builder = Client.builder()
                .endpoints(url)
                // Fail fast on a dead endpoint so the next one is tried within the same budget.
                .waitForReady(false)
                // jetcd retries once so that it can refresh an expired auth token; every other retry is ours.
                .retryMaxAttempts(1)
                .retryDelay(50)
                .retryMaxDelay(200)
                .connectTimeout(Duration.ofMillis(Math.min(1000, rpcTimeoutMillis.get())))
                // etcd rejects pings more often than every 5 s, and pings without a call at all.
                .keepaliveTime(Duration.ofSeconds(10))
                .keepaliveTimeout(Duration.ofSeconds(3))
                .keepaliveWithoutCalls(false)
                .executorService(executor)
                .interceptor(new RpcDeadline(rpcTimeoutMillis));
        config.credentials()
                .ifPresent(c -> builder.user(bytes(c.username()))
                        .password(bytes(c.password().orElse(""))));
        if (url.startsWith("https")) {
            try {
                builder.sslContext(ssl -> {
                    config.cacert().ifPresent(ca -> ssl.trustManager(ca.toFile()));
                    if (config.cert().isPresent() && config.key().isPresent()) {
                        ssl.keyManager(
                                config.cert().get().toFile(), config.key().get().toFile());
                    }
                });
            } catch (SSLException e) {
                throw new IllegalArgumentException(
                        "etcd3: TLS settings for " + url + " are unusable: " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static void closeQuietly(Client client) {
        try {
            client.close();
        } catch (RuntimeException e) {
            LOG.debug("closing an etcd client failed", e);
        }
    }

    /** Puts a deadline on every call but the long-lived watch stream. */
    private static final class RpcDeadline implements ClientInterceptor {
        private final AtomicLong millis;

        RpcDeadline(AtomicLong millis) {
            this.millis = millis;
        }

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            if (options.getDeadline() != null || method.getFullMethodName().startsWith("etcdserverpb.Watch/")) {
                return next.newCall(method, options);
            }
            return next.newCall(method, options.withDeadlineAfter(millis.get(), TimeUnit.MILLISECONDS));
        }
    }

    @Override
    public String toString() {
        return String.join(",", new ArrayList<>(urls));
    }
}
