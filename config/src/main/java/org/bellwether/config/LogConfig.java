package org.bellwether.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code log.*}: level and destination of the agent's own log. Patroni's Python-specific settings ({@code format},
 * {@code dateformat}, {@code traceback_level}, {@code max_queue_size}, {@code static_fields}...) are accepted and kept
 * in {@code raw} for whoever maps them onto logback.
 *
 * @param level DEBUG, INFO, WARNING, ERROR or CRITICAL (Patroni's names; WARN and FATAL are read as WARNING and
 *     CRITICAL)
 * @param type {@code plain} or {@code json}
 * @param dir write rotating files there instead of to stderr
 * @param loggers per-logger levels, by logger name
 */
public record LogConfig(
        String level,
        String type,
        Optional<Path> dir,
        int fileNum,
        long fileSize,
        SortedMap<String, String> loggers,
        SortedMap<String, Object> raw) {

    public static final int DEFAULT_FILE_NUM = 4;
    public static final long DEFAULT_FILE_SIZE = 25_000_000L;
    public static final LogConfig DEFAULTS = new LogConfig(
            "INFO", "plain", Optional.empty(), DEFAULT_FILE_NUM, DEFAULT_FILE_SIZE, new TreeMap<>(), new TreeMap<>());

    public LogConfig {
        loggers = Collections.unmodifiableSortedMap(new TreeMap<>(loggers));
        raw = Collections.unmodifiableSortedMap(new TreeMap<>(raw));
    }
}
