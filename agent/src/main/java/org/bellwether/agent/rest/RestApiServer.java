package org.bellwether.agent.rest;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import org.bellwether.config.RestApiConfig;
import org.bellwether.core.status.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Patroni-compatible REST API, served with Netty. One event loop thread accepts and two do all socket I/O, so a
 * slow or idle client holds a socket, never a thread; handlers run on bounded pools ({@link HandlerPools}), reads
 * apart from writes; every connection has deadlines ({@link RequestTimeouts}) and their number is capped
 * ({@link ServerLimits}).
 *
 * <p>Request handling order: unsafe methods pass the {@link AccessPolicy} first (nothing else is revealed to a
 * refused caller), then routing (404/405), then the handler (see {@link Dispatcher}). HEAD and OPTIONS run the GET
 * handler and send its status only. Handlers refuse with {@link HttpError}; any other exception is logged and answered
 * with a one-line 500.
 */
public final class RestApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RestApiServer.class);

    private final HandlerPools pools;
    private final Optional<MemberAddresses> memberAddresses;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup io;
    private final Channel listener;

    /** Serves on {@code restapi.listen}. */
    public RestApiServer(Supplier<NodeStatus> status, Supplier<Duration> clock, RestApiConfig config)
            throws IOException {
        this(
                status,
                clock,
                config,
                new InetSocketAddress(config.listen().host(), config.listen().port()),
                r -> {});
    }

    /**
     * Serves on {@code bind} (port 0 picks a free port, see {@link #port()}), with {@code moreRoutes} added to the
     * read-only ones: this is where the write endpoints plug in, one {@code router.post(...)} line each.
     */
    public RestApiServer(
            Supplier<NodeStatus> status,
            Supplier<Duration> clock,
            RestApiConfig config,
            InetSocketAddress bind,
            Consumer<Router> moreRoutes)
            throws IOException {
        this(status, clock, config, bind, moreRoutes, ServerLimits.DEFAULTS);
    }

    /** With other limits, for tests that cannot wait for the production timeouts. */
    RestApiServer(
            Supplier<NodeStatus> status,
            Supplier<Duration> clock,
            RestApiConfig config,
            InetSocketAddress bind,
            Consumer<Router> moreRoutes,
            ServerLimits limits)
            throws IOException {
        // Read first: files that cannot be used stop the agent before it listens.
        Optional<Supplier<SSLEngine>> tls =
                config.certfile().isPresent() ? Optional.of(RestTls.serverSide(config)) : Optional.empty();
        boolean optionalClientCertificates =
                RestTls.ClientCertificates.of(config) == RestTls.ClientCertificates.OPTIONAL;
        this.memberAddresses =
                config.allowlistIncludeMembers() ? Optional.of(new MemberAddresses(status)) : Optional.empty();
        Dispatcher dispatcher = new Dispatcher(
                routes(moreRoutes),
                new AccessPolicy(config.authentication(), config.allowlist(), memberAddresses),
                status,
                clock,
                optionalClientCertificates);
        this.pools = new HandlerPools(limits);
        this.acceptor = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("rest-api-accept", true), NioIoHandler.newFactory());
        this.io = new MultiThreadIoEventLoopGroup(
                2, new DefaultThreadFactory("rest-api-io", true), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, listenBacklog(config.requestQueueSize()))
                // Read only when a request is wanted: one request at a time per connection, none while handling.
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new RestPipeline(limits, tls, dispatcher, pools, ResponseHeaders.of(config)));
        ChannelFuture bound = bootstrap.bind(bind).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutDown();
            Throwable cause = bound.cause();
            throw new IOException("cannot listen on " + bind + ": " + cause.getMessage(), cause);
        }
        this.listener = bound.channel();
        memberAddresses.ifPresent(MemberAddresses::start);
        LOG.info("REST API listening on {}", listener.localAddress());
    }

    private static Router routes(Consumer<Router> moreRoutes) {
        Router router = new Router();
        router.get("/patroni", r -> Response.json(200, StatusJson.build(r.status(), r.now())));
        HealthResource.register(router);
        ClusterResource.register(router);
        DcsKeysResource.register(router);
        MetricsResource.register(router);
        moreRoutes.accept(router);
        return router;
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * {@code restapi.request_queue_size}, the {@code listen()} backlog, as Python's {@code socketserver} passes it. The
     * JDK replaces a backlog below 1 by 50, so 0 becomes 1, which the kernel treats about alike.
     */
    static int listenBacklog(int requestQueueSize) {
        return Math.max(1, requestQueueSize);
    }

    /** The backlog the listening socket was given. */
    int backlog() {
        return listener.config().getOption(ChannelOption.SO_BACKLOG);
    }

    /** Stops accepting, closes every connection, and gives running handlers two seconds to finish. */
    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        shutDown();
    }

    private void shutDown() {
        // No quiet period: nothing new can arrive once the listener and the connections are closed.
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        pools.close();
        memberAddresses.ifPresent(MemberAddresses::close);
    }
}
