package org.bellwether.agent.rest;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between the HTTP decoder and the body aggregator: what the headers alone can refuse is refused before any body is
 * read, so that nobody can make the server buffer a body it would refuse anyway. Unsafe methods pass the access check
 * here ({@link Dispatcher#admit}: 401 or 403), and a body larger than its method may send is refused with 413
 * ({@link ServerLimits#MAX_BODY_BYTES} for writes, {@link ServerLimits#MAX_READ_BODY_BYTES} otherwise), whether its
 * {@code Content-Length} announces it or its chunks grow past it. After a refusal the connection is closed: the rest of
 * the body may still be on its way.
 */
final class RequestGate extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestGate.class);

    private final Dispatcher dispatcher;
    private final ResponseHeaders fixedHeaders;
    private long bodyAllowed;
    private long bodyReceived;
    private boolean refused;

    RequestGate(Dispatcher dispatcher, ResponseHeaders fixedHeaders) {
        this.dispatcher = dispatcher;
        this.fixedHeaders = fixedHeaders;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Optional<Response> refusal = Optional.empty();
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
            refusal = checkHeaders(ctx, request);
        }
        if (refusal.isEmpty() && msg instanceof HttpContent content) {
            bodyReceived += content.content().readableBytes();
            if (bodyReceived > bodyAllowed) {
                refusal = Optional.of(tooLarge());
            }
        }
        if (refusal.isPresent()) {
            ReferenceCountUtil.release(msg);
            refuse(ctx, refusal.get());
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private Optional<Response> checkHeaders(ChannelHandlerContext ctx, HttpRequest request) {
        String method = request.method().name().toUpperCase(Locale.ROOT);
        bodyAllowed = Dispatcher.unsafe(method) ? ServerLimits.MAX_BODY_BYTES : ServerLimits.MAX_READ_BODY_BYTES;
        bodyReceived = 0;
        Optional<Response> refusal = dispatcher.admit(
                method,
                request.uri(),
                Optional.ofNullable(request.headers().get(HttpHeaderNames.AUTHORIZATION)),
                HttpExchangeHandler.clientAddress(ctx),
                () -> HttpExchangeHandler.hasClientCertificate(ctx));
        // The decoder has checked that a Content-Length is a number.
        if (refusal.isEmpty() && HttpUtil.getContentLength(request, 0L) > bodyAllowed) {
            return Optional.of(tooLarge());
        }
        return refusal;
    }

    private Response tooLarge() {
        return Response.error(413, "request body larger than " + bodyAllowed + " bytes");
    }

    private void refuse(ChannelHandlerContext ctx, Response response) {
        refused = true;
        LOG.debug("refused a request from {}: {}", ctx.channel().remoteAddress(), response.status());
        ctx.writeAndFlush(HttpExchangeHandler.encode(response, fixedHeaders, false, false, false))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
