package org.bellwether.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.config.LogConfig;
import org.bellwether.config.LogFormat;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@code log} section to logback, as Patroni's {@code PatroniLogger.reload_config} applies it to Python's
 * logging: the root level, per-logger levels, and one appender (stderr, or {@code patroni.log} in {@code log.dir})
 * with a plain or JSON encoder. {@code logback.xml} covers the time before the configuration is read; the first
 * {@link #apply} replaces its appender. Applying the same configuration again changes nothing, so a reload may call it
 * whether or not the section changed.
 */
public final class LogSetup {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(LogSetup.class);
    /** The levels {@code logback.xml} gives the libraries' loggers; an entry of {@code log.loggers} overrides one. */
    static final SortedMap<String, Level> LIBRARY_LEVELS = new TreeMap<>(Map.of(
            "io.grpc", Level.WARN,
            "io.netty", Level.WARN,
            "io.vertx", Level.WARN,
            "io.etcd", Level.ERROR,
            "org.postgresql", Level.WARN));

    private static final String APPENDER_NAME = "log";

    private final LoggerContext context;
    /** Set when the operator gave a logback file of their own: it wins, and this changes nothing. */
    private final boolean operatorFile;

    private LogConfig applied;
    private Set<String> levelled = Set.of();

    LogSetup(LoggerContext context, boolean operatorFile) {
        this.context = context;
        this.operatorFile = operatorFile;
    }

    /** For the agent's own logback context; inert when {@code -Dlogback.configurationFile} names another setup. */
    public static LogSetup ofThisProcess() {
        return new LogSetup(
                (LoggerContext) LoggerFactory.getILoggerFactory(),
                System.getProperty("logback.configurationFile") != null);
    }

    /**
     * Makes logback log as {@code config} says. Throws when the log file cannot be opened (the directory is missing or
     * not writable, as Patroni requires it to be), leaving the logging as it was.
     */
    public synchronized void apply(LogConfig config) throws IOException {
        if (config.equals(applied)) {
            return;
        }
        if (operatorFile) {
            LOG.info(
                    "log section not applied: logback is configured by {}",
                    System.getProperty("logback.configurationFile"));
            applied = config;
            return;
        }
        Appender<ILoggingEvent> next = appender(config);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        // The new appender is in place before the old ones go, so no event finds the root without one.
        root.addAppender(next);
        List<Appender<ILoggingEvent>> previous = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (appender != next) {
                previous.add(appender);
            }
        }
        for (Appender<ILoggingEvent> appender : previous) {
            root.detachAppender(appender);
            appender.stop();
        }
        levels(root, config);
        applied = config;
    }

    /** Python's root level, then each logger's: the libraries' defaults with {@code log.loggers} over them. */
    private void levels(Logger root, LogConfig config) {
        root.setLevel(logbackLevel(config.level()));
        SortedMap<String, Level> wanted = new TreeMap<>(LIBRARY_LEVELS);
        config.loggers().forEach((name, level) -> wanted.put(name, logbackLevel(level)));
        // A logger a previous configuration set and this one does not goes back to its parent's level, as in Patroni.
        for (String name : levelled) {
            if (!wanted.containsKey(name)) {
                context.getLogger(name).setLevel(null);
            }
        }
        wanted.forEach((name, level) -> context.getLogger(name).setLevel(level));
        levelled = Set.copyOf(wanted.keySet());
    }

    /** Python's level names; logback has nothing above ERROR for CRITICAL, and NOTSET is a null level (inherit). */
    static Level logbackLevel(String python) {
        return switch (python) {
            case "NOTSET" -> null;
            case "DEBUG" -> Level.DEBUG;
            case "INFO" -> Level.INFO;
            case "WARNING" -> Level.WARN;
            default -> Level.ERROR;
        };
    }

    private Appender<ILoggingEvent> appender(LogConfig config) throws IOException {
        OutputStreamAppender<ILoggingEvent> appender;
        if (config.dir().isPresent()) {
            Path dir = config.dir().get();
            touch(dir.resolve(LogConfig.FILE_NAME));
            appender = LogFiles.appender(config, dir, context);
        } else {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setContext(context);
            console.setTarget("System.err");
            appender = console;
        }
        appender.setName(APPENDER_NAME);
        appender.setEncoder(encoder(config));
        ReplacedClientNoiseFilter noise = new ReplacedClientNoiseFilter();
        noise.setContext(context);
        noise.start();
        appender.addFilter(noise);
        appender.start();
        if (!appender.isStarted()) {
            throw new IOException("logback could not start the log appender; its status says why");
        }
        return appender;
    }

    /**
     * Opens the file once before logback does: logback would create a missing directory and report a failure only in
     * its status list, while Patroni needs the directory to exist and stops when it cannot write there.
     */
    private static void touch(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            out.flush();
        }
    }

    private LayoutWrappingEncoder<ILoggingEvent> encoder(LogConfig config) {
        DateTimeFormatter asctime = DateTimeFormatter.ofPattern(config.asctimePattern(), Locale.ENGLISH)
                .withZone(ZoneId.systemDefault());
        Layout<ILoggingEvent> layout;
        if (config.format() instanceof LogFormat.Json json) {
            layout = new JsonLogLayout(json.fields(), config.staticFields(), asctime);
        } else {
            PlainLogPattern.Compiled plain = PlainLogPattern.of(((LogFormat.Plain) config.format()).parts(), asctime);
            PatternLayout pattern = new PatternLayout();
            pattern.getInstanceConverterMap().putAll(plain.converters());
            pattern.setPattern(plain.pattern());
            layout = pattern;
        }
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        return encoder;
    }
}
