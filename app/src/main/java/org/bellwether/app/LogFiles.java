package org.bellwether.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.bellwether.config.LogConfig;

/**
 * The appender of {@code log.dir}: {@code patroni.log}, rotated as Python's {@code RotatingFileHandler} rotates it
 * ({@code patroni.log.1} is the newest old file, {@code patroni.log.<file_num>} the oldest kept), by logback's own
 * rolling policies; each file is given {@code log.mode} when opened, as Patroni's {@code PatroniFileHandler} does.
 */
final class LogFiles {
    private LogFiles() {}

    /** Not started: the caller adds the encoder first. */
    static FileAppender<ILoggingEvent> appender(LogConfig config, Path dir, Context context) {
        String file = dir.resolve(LogConfig.FILE_NAME).toString();
        Optional<Set<PosixFilePermission>> permissions = permissions(config.mode());
        if (!config.rotates()) {
            FileAppender<ILoggingEvent> appender = new FileWithMode(permissions);
            appender.setContext(context);
            appender.setFile(file);
            return appender;
        }
        RollingFileAppender<ILoggingEvent> appender = new RollingFileWithMode(permissions);
        appender.setContext(context);
        appender.setFile(file);
        FixedWindowRollingPolicy rolling = new UnboundedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(config.fileNum());
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(new FileSize(config.fileSize()));
        // Logback looks at the size once a minute by default; Python's handler before every record.
        trigger.setCheckIncrement(Duration.buildByMilliseconds(0));
        trigger.start();
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        return appender;
    }

    /** {@code 0644} as rw-r--r--. */
    static Optional<Set<PosixFilePermission>> permissions(OptionalInt mode) {
        if (mode.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder rwx = new StringBuilder();
        for (int bit = 8; bit >= 0; bit--) {
            rwx.append((mode.getAsInt() & (1 << bit)) == 0 ? '-' : "rwx".charAt((8 - bit) % 3));
        }
        return Optional.of(PosixFilePermissions.fromString(rwx.toString()));
    }

    private static void chmod(String file, Optional<Set<PosixFilePermission>> permissions) throws IOException {
        if (permissions.isPresent()) {
            Files.setPosixFilePermissions(Path.of(file), permissions.get());
        }
    }

    /** Logback caps the window at 20 files; Patroni keeps as many as {@code file_num} says. */
    private static final class UnboundedWindowRollingPolicy extends FixedWindowRollingPolicy {
        @Override
        protected int getMaxWindowSize() {
            return Integer.MAX_VALUE;
        }
    }

    private static final class FileWithMode extends FileAppender<ILoggingEvent> {
        private final Optional<Set<PosixFilePermission>> permissions;

        FileWithMode(Optional<Set<PosixFilePermission>> permissions) {
            this.permissions = permissions;
        }

        @Override
        public void openFile(String fileName) throws IOException {
            super.openFile(fileName);
            chmod(fileName, permissions);
        }
    }

    /** Logback opens the new file after each rotation through {@link #openFile}, so each file gets the mode. */
    private static final class RollingFileWithMode extends RollingFileAppender<ILoggingEvent> {
        private final Optional<Set<PosixFilePermission>> permissions;

        RollingFileWithMode(Optional<Set<PosixFilePermission>> permissions) {
            this.permissions = permissions;
        }

        @Override
        public void openFile(String fileName) throws IOException {
            super.openFile(fileName);
            chmod(fileName, permissions);
        }
    }
}
