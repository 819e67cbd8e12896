package org.bellwether.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.bellwether.config.ConfigException.Kind;
import org.bellwether.core.ConfigRules;

/** Reads the short sections: {@code watchdog}, {@code ctl} and {@code log}. */
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

    static LogConfig log(Section s) throws ConfigException {
        String level = level(s, "level").orElse("INFO");
        level(s, "traceback_level");
        s.choice("type", "plain", "json");
        Optional<Path> dir = s.file("dir");
        int fileNum =
                s.integer("file_num", 1, Integer.MAX_VALUE).map(Long::intValue).orElse(LogConfig.DEFAULT_FILE_NUM);
        long fileSize = s.integer("file_size", 1, Long.MAX_VALUE).orElse(LogConfig.DEFAULT_FILE_SIZE);
        s.integer("max_queue_size", 1, Integer.MAX_VALUE);
        s.integer("mode", 0, 511);
        s.bool("deduplicate_heartbeat_logs");
        s.text("dateformat");
        s.rawMap("static_fields");
        s.accept("format");
        LogConfig config = new LogConfig(
                level,
                s.choice("type", "plain", "json").orElse("plain"),
                dir,
                fileNum,
                fileSize,
                s.textMap("loggers"),
                s.asRawMap());
        s.warnUnknown();
        return config;
    }

    /** Python's level names; WARN and FATAL are its aliases of WARNING and CRITICAL. */
    private static Optional<String> level(Section s, String key) throws ConfigException {
        Optional<String> level = s.choice(key, "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL", "CRITICAL");
        return level.map(l -> switch (l) {
            case "WARN" -> "WARNING";
            case "FATAL" -> "CRITICAL";
            default -> l;
        });
    }
}
