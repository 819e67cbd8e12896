package org.bellwether.app.generate;

import java.io.PrintWriter;
import java.net.UnknownHostException;
import java.util.Map;
import org.bellwether.config.ConfigException;
import org.bellwether.config.ConfigLoader;

/** What both generators start from, and how they report: the environment's configuration and this machine. */
final class Generation {
    private Generation() {}

    /** What the {@code PATRONI_*} environment sets, as the template's overrides. */
    static Map<String, Object> environment(Map<String, String> env) throws GenerateException {
        try {
            return ConfigLoader.environmentTree(env);
        } catch (ConfigException e) {
            throw new GenerateException(e.getMessage(), e);
        }
    }

    /** This machine's name and address; when they cannot be found, {@code #FIXME} and a warning, as Patroni does. */
    static HostAddress address(PrintWriter err) {
        try {
            return HostAddress.lookup();
        } catch (UnknownHostException | SecurityException e) {
            warn(err, "Failed to obtain address: " + e.getMessage());
            return HostAddress.UNKNOWN;
        }
    }

    static void warn(PrintWriter err, String message) {
        err.println("bellwether: warning: " + message);
        err.flush();
    }

    static int fail(PrintWriter err, GenerateException e) {
        err.println("bellwether: " + e.getMessage());
        err.flush();
        return 1;
    }
}
