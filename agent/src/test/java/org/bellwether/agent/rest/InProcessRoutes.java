package org.bellwether.agent.rest;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.bellwether.core.status.NodeStatus;

/**
 * The REST API's handlers called without HTTP, as {@link RestApiServer} dispatches to them: the route, then the handler
 * with the node's status snapshot and monotonic time, a refusal ({@link HttpError}) as its status. For the simulator,
 * whose members answer each other on one thread; access control is left out (its members trust each other). Any other
 * exception is thrown, not answered 500 as the server would: in a simulation it is a bug to report.
 */
public final class InProcessRoutes {
    private final Router router = new Router();

    /** @param resources registers the resources to serve, as {@code new FailsafeResource(inbox)::register} */
    public InProcessRoutes(Consumer<Router> resources) {
        resources.accept(router);
    }

    /** The status code the node answers {@code method path} with. */
    public int call(String method, String path, String body, NodeStatus status, Duration now) {
        Handler handler = router.find(method, path).orElse(null);
        if (handler == null) {
            return 404;
        }
        Request request = new Request(
                method,
                path,
                Map.of(),
                Map.of(),
                body.getBytes(StandardCharsets.UTF_8),
                InetAddress.getLoopbackAddress(),
                status,
                now);
        try {
            return handler.handle(request).status();
        } catch (HttpError e) {
            return e.status();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }
}
