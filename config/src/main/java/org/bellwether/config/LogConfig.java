package org.bellwether.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code log.*}: the agent's own log, as Patroni's {@code PatroniLogger} takes it. The settings Bellwether cannot
 * apply ({@code traceback_level}, {@code max_queue_size}, {@code deduplicate_heartbeat_logs}) are checked and reported
 * when read, and are not kept here.
 *
 * @param level DEBUG, INFO, WARNING, ERROR or CRITICAL (Python's names; WARN and FATAL are read as WARNING and
 *     CRITICAL)
 * @param format {@code type} and {@code format} together: plain text or JSON lines
 * @param asctimePattern {@code dateformat} as a {@code java.time} pattern, for {@code %(asctime)s}
 * @param staticFields constant fields added to every JSON line
 * @param dir write {@value #FILE_NAME} there, rotating it, instead of writing to stderr
 * @param fileNum how many rotated files to keep; 0 (as {@code file_size} 0) never rotates, as Python's handler
 * @param fileSize the size in bytes at which the file is rotated
 * @param mode permissions of the log files (such as {@code 0644}); empty leaves them to the umask
 * @param loggers per-logger levels by logger name: Python's level names, or NOTSET to inherit the parent's
 */
public record LogConfig(
        String level,
        LogFormat format,
        String asctimePattern,
        SortedMap<String, Object> staticFields,
        Optional<Path> dir,
        int fileNum,
        long fileSize,
        OptionalInt mode,
        SortedMap<String, String> loggers) {

    /** The name Patroni gives its log file: its logging module's name. */
    public static final String FILE_NAME = "patroni.log";

    public static final int DEFAULT_FILE_NUM = 4;
    public static final long DEFAULT_FILE_SIZE = 25_000_000L;
    public static final LogConfig DEFAULTS = new LogConfig(
            "INFO",
            LogFormat.DEFAULT,
            StrftimePattern.PYTHON_DEFAULT,
            new TreeMap<>(),
            Optional.empty(),
            DEFAULT_FILE_NUM,
            DEFAULT_FILE_SIZE,
            OptionalInt.empty(),
            new TreeMap<>());

    public LogConfig {
        staticFields = Collections.unmodifiableSortedMap(new TreeMap<>(staticFields));
        loggers = Collections.unmodifiableSortedMap(new TreeMap<>(loggers));
    }

    /** Whether the file is rotated: Python's handler never rotates when either count is 0. */
    public boolean rotates() {
        return fileNum > 0 && fileSize > 0;
    }
}
