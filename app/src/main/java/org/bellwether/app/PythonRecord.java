package org.bellwether.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.bellwether.config.LogRecordField;

/**
 * What each attribute of Python's {@code LogRecord} is for a logback event, typed as Python has it (numbers for
 * {@code process}, {@code lineno}, {@code created}...), so that a JSON line holds what Patroni's would.
 */
final class PythonRecord {
    private static final long PID = ProcessHandle.current().pid();
    private static final String UNKNOWN_FILE = "(unknown file)";

    private PythonRecord() {}

    /** The value, or null where Python's would be None or Bellwether has nothing to give. */
    static Object value(LogRecordField field, ILoggingEvent event, DateTimeFormatter asctime) {
        return switch (field) {
            case ASCTIME -> asctime.format(event.getInstant());
            case CREATED -> event.getTimeStamp() / 1000.0;
            case EXC_INFO, EXC_TEXT -> traceback(event.getThrowableProxy());
            case FILENAME -> caller(event).map(StackTraceElement::getFileName).orElse(UNKNOWN_FILE);
            case FUNC_NAME ->
                caller(event).map(StackTraceElement::getMethodName).orElse("(unknown function)");
            case LEVELNAME -> levelName(event.getLevel());
            case LEVELNO -> levelNumber(event.getLevel());
            case LINENO -> caller(event).map(StackTraceElement::getLineNumber).orElse(0);
            case MESSAGE -> event.getFormattedMessage();
            case MODULE ->
                caller(event)
                        .map(StackTraceElement::getFileName)
                        .map(PythonRecord::module)
                        .orElse(UNKNOWN_FILE);
            case MSECS -> (double) Math.floorMod(event.getTimeStamp(), 1000L);
            case MSG -> event.getMessage();
            case NAME -> event.getLoggerName();
            case PROCESS -> PID;
            case PROCESS_NAME -> "MainProcess";
            case RELATIVE_CREATED -> (double) (event.getTimeStamp() - birthTime(event));
            // Python's thread ident. Bellwether's appenders encode on the thread that logs (there is no async
            // appender), so the current thread is the event's.
            case THREAD -> Thread.currentThread().getId();
            case THREAD_NAME -> event.getThreadName();
            case ARGS, PATHNAME, STACK_INFO, TASK_NAME -> null;
        };
    }

    /** Python's names: WARNING, not logback's WARN. */
    static String levelName(Level level) {
        return level.toInt() == Level.WARN_INT ? "WARNING" : level.toString();
    }

    private static int levelNumber(Level level) {
        return switch (level.toInt()) {
            case Level.TRACE_INT -> 5;
            case Level.DEBUG_INT -> 10;
            case Level.INFO_INT -> 20;
            case Level.WARN_INT -> 30;
            default -> 40;
        };
    }

    private static Optional<StackTraceElement> caller(ILoggingEvent event) {
        StackTraceElement[] frames = event.getCallerData();
        return frames == null || frames.length == 0 ? Optional.empty() : Optional.of(frames[0]);
    }

    /** Python's module is the file name without its extension. */
    private static String module(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private static long birthTime(ILoggingEvent event) {
        LoggerContextVO context = event.getLoggerContextVO();
        return context == null ? event.getTimeStamp() : context.getBirthTime();
    }

    /** The stack trace as Python's {@code formatException} gives a traceback: without a final line break. */
    private static String traceback(IThrowableProxy thrown) {
        return thrown == null ? null : ThrowableProxyUtil.asString(thrown).stripTrailing();
    }
}
