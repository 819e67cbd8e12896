package org.bellwether.agent.rest;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.SslHandler;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handlers of each accepted connection, in order: the deadlines ({@link RequestTimeouts}), TLS when configured,
 * HTTP/1.1 decoding with bounded request line and headers, the access check and body limits before any body is read
 * ({@link RequestGate}), the body gathered into one request, one request at a time ({@link FlowControlHandler}: a
 * pipelining client's next request waits in the pipeline until this one is answered), and the exchange itself.
 *
 * <p>At the connection cap, a new connection takes the place of the one idle longest (connected, no request under
 * way), so idle connections, however many, cannot keep a health check out; only when every open connection is in the
 * middle of a request (each bounded by the request timeout) is the new one closed on arrival.
 */
final class RestPipeline extends ChannelInitializer<SocketChannel> {
    private static final Logger LOG = LoggerFactory.getLogger(RestPipeline.class);
    private static final long REFUSAL_LOG_INTERVAL_NANOS = 60_000_000_000L;

    private final ServerLimits limits;
    private final Optional<Supplier<SSLEngine>> tls;
    private final Dispatcher dispatcher;
    private final HandlerPools pools;
    private final ResponseHeaders fixedHeaders;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<Channel, RequestTimeouts> connections = new ConcurrentHashMap<>();
    private final AtomicLong lastRefusalLogged = new AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS);

    RestPipeline(
            ServerLimits limits,
            Optional<Supplier<SSLEngine>> tls,
            Dispatcher dispatcher,
            HandlerPools pools,
            ResponseHeaders fixedHeaders) {
        this.limits = limits;
        this.tls = tls;
        this.dispatcher = dispatcher;
        this.pools = pools;
        this.fixedHeaders = fixedHeaders;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        if (open.incrementAndGet() > limits.maxConnections() && !evictLongestIdle()) {
            open.decrementAndGet();
            logRefusal(channel);
            channel.close();
            return;
        }
        RequestTimeouts timeouts = new RequestTimeouts(limits);
        connections.put(channel, timeouts);
        channel.closeFuture().addListener(closed -> {
            connections.remove(channel);
            open.decrementAndGet();
        });
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("timeouts", timeouts);
        tls.ifPresent(engines -> {
            SslHandler handler = new SslHandler(engines.get());
            handler.setHandshakeTimeoutMillis(limits.requestTimeout().toMillis());
            pipeline.addLast("tls", handler);
        });
        pipeline.addLast(
                "http",
                new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(ServerLimits.MAX_INITIAL_LINE_BYTES)
                        .setMaxHeaderSize(ServerLimits.MAX_HEADER_BYTES)));
        pipeline.addLast("gate", new RequestGate(dispatcher, fixedHeaders));
        // The gate refuses oversized bodies first; this bound only backs it up. A failed Expect closes the connection.
        pipeline.addLast("body", new HttpObjectAggregator(ServerLimits.MAX_BODY_BYTES, true));
        pipeline.addLast("one-at-a-time", new FlowControlHandler());
        pipeline.addLast("exchange", new HttpExchangeHandler(dispatcher, pools, timeouts, fixedHeaders));
    }

    /** Closes the connection that has waited longest without a request; false when none is idle. */
    private boolean evictLongestIdle() {
        Optional<Map.Entry<Channel, RequestTimeouts>> longest = connections.entrySet().stream()
                .filter(e -> e.getValue().isIdle())
                .min(Comparator.comparingLong(e -> e.getValue().waitingSince()));
        longest.ifPresent(e -> {
            LOG.debug(
                    "REST API: at the connection cap, closing the idle connection from {}",
                    e.getKey().remoteAddress());
            connections.remove(e.getKey());
            e.getKey().close();
        });
        return longest.isPresent();
    }

    private void logRefusal(SocketChannel channel) {
        long now = System.nanoTime();
        long last = lastRefusalLogged.get();
        if (now - last >= REFUSAL_LOG_INTERVAL_NANOS && lastRefusalLogged.compareAndSet(last, now)) {
            LOG.warn(
                    "REST API: {} connections are open, the most allowed, each in the middle of a request; closing"
                            + " new ones (from {}, and others for a minute without further messages)",
                    limits.maxConnections(),
                    channel.remoteAddress());
        }
    }
}
