package org.bellwether.agent;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the service manager how the agent is doing, as a {@code Type=notify} systemd unit expects: {@code READY=1}
 * once the first HA cycle has completed, {@code RELOADING=1} and {@code READY=1} around a reload, {@code STOPPING=1}
 * on shutdown. Does nothing when {@code NOTIFY_SOCKET} is not set (the agent was not started by systemd).
 *
 * <p>It calls libsystemd's own {@code sd_notify}, which every systemd host has, rather than speaking the datagram
 * protocol by hand: the JDK cannot send datagrams on a Unix socket.
 */
public final class ServiceNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceNotifier.class);
    static final String SOCKET_VARIABLE = "NOTIFY_SOCKET";

    /** The one function of libsystemd used here. */
    interface LibSystemd extends Library {
        int sd_notify(int unsetEnvironment, String state);
    }

    private final Optional<LibSystemd> systemd;

    private ServiceNotifier(Optional<LibSystemd> systemd) {
        this.systemd = systemd;
    }

    /** A notifier for this process: silent without {@code NOTIFY_SOCKET}, or (with a warning) without libsystemd. */
    public static ServiceNotifier fromEnvironment(Map<String, String> environment) {
        if (!environment.containsKey(SOCKET_VARIABLE)) {
            return new ServiceNotifier(Optional.empty());
        }
        try {
            return new ServiceNotifier(Optional.of(Native.load("libsystemd.so.0", LibSystemd.class)));
        } catch (UnsatisfiedLinkError e) {
            LOG.warn(
                    "{} is set but libsystemd cannot be loaded ({}): the service manager will not hear that the agent"
                            + " is ready; use Type=simple in the unit",
                    SOCKET_VARIABLE,
                    e.getMessage());
            return new ServiceNotifier(Optional.empty());
        }
    }

    /** The first cycle completed, or a reload is done. */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + status);
    }

    /** A reload begins; systemd waits for the next {@link #ready}. The monotonic time is required by notify-reload. */
    public void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000);
    }

    public void stopping() {
        send("STOPPING=1");
    }

    private void send(String state) {
        systemd.ifPresent(lib -> {
            int result = lib.sd_notify(0, state);
            if (result < 0) {
                LOG.warn("could not notify the service manager ({}): error {}", state.replace('\n', ' '), -result);
            }
        });
    }
}
