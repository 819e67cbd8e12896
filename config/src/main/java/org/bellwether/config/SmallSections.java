package org.bellwether.config;

import java.util.Locale;
import org.bellwether.config.ConfigException.Kind;
import org.bellwether.core.ConfigRules;

/** Reads the short sections: {@code watchdog} and {@code ctl}. */
final class SmallSections {
    private SmallSections() {}

    static WatchdogConfig watchdog(Section s) throws ConfigException {
        WatchdogConfig config = new WatchdogConfig(
                watchdogMode(s),
                s.file("device").orElse(WatchdogConfig.DEFAULT_DEVICE),
                s.integer("safety_margin", -1, Integer.MAX_VALUE)
                        .map(Long::intValue)
                        .orElse(WatchdogConfig.DEFAULT_SAFETY_MARGIN),
                s.text("driver").orElse("default"));
        s.warnUnknown();
        return config;
    }

    /** YAML reads an unquoted {@code mode: off} as the boolean false, which Patroni takes as off too. */
    private static WatchdogConfig.Mode watchdogMode(Section s) throws ConfigException {
        Object mode = s.raw("mode");
        if (mode == null) {
            return WatchdogConfig.Mode.AUTOMATIC;
        }
        if (Boolean.FALSE.equals(mode)) {
            return WatchdogConfig.Mode.OFF;
        }
        if (mode instanceof String m) {
            switch (m.trim().toLowerCase(Locale.ROOT)) {
                case "off":
                    return WatchdogConfig.Mode.OFF;
                case "automatic":
                    return WatchdogConfig.Mode.AUTOMATIC;
                case "required":
                    return WatchdogConfig.Mode.REQUIRED;
                default:
                    break;
            }
        }
        throw s.error(
                Kind.INVALID_VALUE, "mode", "expected off, automatic or required, got " + ConfigRules.describe(mode));
    }

    static CtlConfig ctl(Section s) throws ConfigException {
        CtlConfig config = new CtlConfig(
                s.bool("insecure").orElse(false),
                s.file("cacert"),
                s.file("certfile"),
                s.file("keyfile"),
                s.text("keyfile_password"),
                RestApiSection.authentication(s, "authentication"));
        s.warnUnknown();
        return config;
    }
}
