package org.bellwether.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * The attributes of Python's {@code LogRecord} that a Patroni {@code log.format} may name, such as
 * {@code %(asctime)s}. Bellwether writes the Java counterpart of most; the few with no counterpart ({@link #written()}
 * false) are accepted, written empty (plain) or null (json), and reported when the configuration is read.
 */
public enum LogRecordField {
    ASCTIME("asctime", true),
    CREATED("created", true),
    EXC_INFO("exc_info", true),
    EXC_TEXT("exc_text", true),
    FILENAME("filename", true),
    FUNC_NAME("funcName", true),
    LEVELNAME("levelname", true),
    LEVELNO("levelno", true),
    LINENO("lineno", true),
    MESSAGE("message", true),
    MODULE("module", true),
    MSECS("msecs", true),
    MSG("msg", true),
    NAME("name", true),
    PROCESS("process", true),
    PROCESS_NAME("processName", true),
    RELATIVE_CREATED("relativeCreated", true),
    THREAD("thread", true),
    THREAD_NAME("threadName", true),
    ARGS("args", false),
    PATHNAME("pathname", false),
    STACK_INFO("stack_info", false),
    TASK_NAME("taskName", false);

    private final String pythonName;
    private final boolean written;

    LogRecordField(String pythonName, boolean written) {
        this.pythonName = pythonName;
        this.written = written;
    }

    /** The attribute's name in Python, as written in a format: {@code funcName}, {@code levelname}. */
    public String pythonName() {
        return pythonName;
    }

    /** Whether Bellwether has something to write for it. */
    public boolean written() {
        return written;
    }

    /** Python's names are case-sensitive, so {@code %(Message)s} is no attribute at all. */
    public static Optional<LogRecordField> byPythonName(String name) {
        return Arrays.stream(values()).filter(f -> f.pythonName.equals(name)).findFirst();
    }
}
