package org.bellwether.agent.rest;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a connection's pipeline: one whole request at a time (the socket is not read while a request is
 * handled), admitted already by the {@link RequestGate}, routed on the event loop, its handler run on a {@link HandlerPools} thread, the answer written back on the
 * event loop with {@code Content-Length} always set. Keep-alive as HTTP/1.1 says; a request that could not be decoded
 * is answered 400 and the connection closed.
 */
final class HttpExchangeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpExchangeHandler.class);
    private static final int MAX_REASON_CHARS = 200;

    private final Dispatcher dispatcher;
    private final HandlerPools pools;
    private final RequestTimeouts timeouts;
    private final ResponseHeaders fixedHeaders;
    /** From a whole request until its answer is written: the socket is not read meanwhile. */
    private boolean busy;

    HttpExchangeHandler(
            Dispatcher dispatcher, HandlerPools pools, RequestTimeouts timeouts, ResponseHeaders fixedHeaders) {
        this.dispatcher = dispatcher;
        this.pools = pools;
        this.timeouts = timeouts;
        this.fixedHeaders = fixedHeaders;
    }

    /** How to answer: without a body (HEAD, OPTIONS), and whether the connection stays open afterwards. */
    private record Exchange(boolean statusOnly, boolean keepAlive, boolean http10) {}

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeouts.awaitRequest();
        ctx.read();
        ctx.fireChannelActive();
    }

    /**
     * A read that brought only part of a request ends without a message; ask for more until the request is whole. The
     * {@link io.netty.handler.flow.FlowControlHandler} before this handler counts each read as answered once it ends.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!busy) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        busy = true;
        timeouts.requestReceived();
        String method = request.method().name().toUpperCase(Locale.ROOT);
        boolean statusOnly = Dispatcher.statusOnly(method);
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            LOG.debug("malformed request from {}: {}", ctx.channel().remoteAddress(), cause.toString());
            send(ctx, decodingError(cause), new Exchange(statusOnly, false, false));
            return;
        }
        Exchange exchange = new Exchange(
                statusOnly,
                HttpUtil.isKeepAlive(request),
                request.protocolVersion().equals(HttpVersion.HTTP_1_0));
        Dispatcher.Incoming incoming = new Dispatcher.Incoming(
                method,
                request.uri(),
                lowerCaseNames(request.headers()),
                ByteBufUtil.getBytes(request.content()),
                clientAddress(ctx));
        Dispatcher.Routed routed = dispatcher.route(incoming);
        if (routed instanceof Dispatcher.Answer answer) {
            send(ctx, answer.response(), exchange);
            return;
        }
        Dispatcher.Call call = (Dispatcher.Call) routed;
        boolean queued = pools.submit(call.readOnly(), () -> {
            // Stays a 500 only if the handler threw an Error, which then goes on to the thread's handler.
            Response response = Response.error(500, "internal error");
            try {
                response = dispatcher.call(call, incoming);
            } finally {
                sendFromPool(ctx, response, exchange);
            }
        });
        if (!queued) {
            String kind = call.readOnly() ? "read" : "write";
            send(ctx, Response.error(503, "too many " + kind + " requests in progress; retry shortly"), exchange);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets, failed TLS handshakes, plain HTTP on a TLS port, a connection closed in the middle of its request
        // (PrematureChannelClosureException, a CodecException): the client's doing, not worth more than DEBUG.
        if (cause instanceof IOException || cause instanceof CodecException) {
            LOG.debug("closing the connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn("closing the connection from {}", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    private static Response decodingError(Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            return Response.error(
                    431, "request headers are larger than " + ServerLimits.MAX_HEADER_BYTES + " bytes in all");
        }
        if (cause instanceof TooLongHttpLineException) {
            return Response.error(400, "request line is longer than " + ServerLimits.MAX_INITIAL_LINE_BYTES + " bytes");
        }
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (reason.length() > MAX_REASON_CHARS) {
            reason = reason.substring(0, MAX_REASON_CHARS) + "...";
        }
        return Response.error(400, "malformed HTTP request: " + reason);
    }

    /** From a handler thread: the channel is the event loop's alone. */
    private void sendFromPool(ChannelHandlerContext ctx, Response response, Exchange exchange) {
        try {
            ctx.executor().execute(() -> send(ctx, response, exchange));
        } catch (RejectedExecutionException e) {
            LOG.debug(
                    "the server closed before the answer to {} was sent",
                    ctx.channel().remoteAddress());
        }
    }

    private void send(ChannelHandlerContext ctx, Response response, Exchange exchange) {
        if (!ctx.channel().isActive()) {
            return;
        }
        timeouts.sendingResponse();
        ctx.writeAndFlush(
                        encode(response, fixedHeaders, exchange.statusOnly(), exchange.keepAlive(), exchange.http10()))
                .addListener((ChannelFuture written) -> {
                    if (written.isSuccess() && exchange.keepAlive()) {
                        busy = false;
                        timeouts.awaitRequest();
                        ctx.read();
                    } else {
                        ctx.close();
                    }
                });
    }

    /**
     * The response as HTTP/1.1 puts it, with {@code Content-Length} always (0 for HEAD and OPTIONS, which get no body),
     * {@code Connection: close} when the connection ends after it, and {@code Connection: keep-alive} where an HTTP/1.0
     * client asked to keep it. Every response, refusals included, carries the server's fixed headers: where Patroni
     * answers with a bare status line (HEAD, OPTIONS, probes), this server sends headers anyway, so they go there too.
     */
    static FullHttpResponse encode(
            Response response, ResponseHeaders fixedHeaders, boolean statusOnly, boolean keepAlive, boolean http10) {
        byte[] body = statusOnly ? new byte[0] : response.body();
        FullHttpResponse out = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(body));
        HttpHeaders headers = out.headers();
        fixedHeaders.addServer(headers);
        response.headers().forEach(headers::set);
        if (body.length > 0) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        }
        fixedHeaders.addExtra(headers);
        HttpUtil.setContentLength(out, body.length);
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return out;
    }

    private static Map<String, List<String>> lowerCaseNames(HttpHeaders headers) {
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach(h -> lower.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .add(h.getValue()));
        return lower;
    }

    static InetAddress clientAddress(ChannelHandlerContext ctx) {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    }

    /** Whether the caller showed a certificate the CA vouches for; false over plain HTTP. */
    static boolean hasClientCertificate(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        return tls != null && RestTls.hasClientCertificate(tls.engine().getSession());
    }
}
