package org.bellwether.app;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bellwether.agent.RequestQueue;
import org.bellwether.agent.ServiceNotifier;
import org.bellwether.core.ha.NodeRequest;
import org.bellwether.core.ha.RequestAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP reloads, as it does for Patroni and PostgreSQL: the request {@code POST /reload} makes (re-read the
 * configuration file, rewrite PostgreSQL's files and reload it), never a stop. The JVM's own meaning of SIGHUP is to
 * exit, which would take the node down on the signal every service manager sends for a reload.
 *
 * <p>{@code sun.misc.Signal} is the JDK's one supported way (module {@code jdk.unsupported}) to handle a signal.
 */
final class HangupReload {
    private static final Logger LOG = LoggerFactory.getLogger(HangupReload.class);
    /** How long the loop may take to carry out the reload before the service manager is told it is over. */
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(60);

    private HangupReload() {}

    static void install(RequestQueue requests, Runnable wake, ServiceNotifier notifier) {
        Signal.handle(new Signal("HUP"), signal -> {
            LOG.info("SIGHUP: reloading the configuration file and PostgreSQL");
            notifier.reloading();
            CompletableFuture<RequestAnswer> answer = requests.submit(new NodeRequest.Reload());
            wake.run();
            answer.orTimeout(ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((a, e) -> {
                if (e != null) {
                    requests.abandon(answer);
                    LOG.warn("SIGHUP: the reload was not carried out within {} s", ANSWER_WAIT.toSeconds());
                } else {
                    LOG.info("SIGHUP: {}", a.message());
                }
                notifier.ready("reloaded");
            });
        });
    }
}
