package org.bellwether.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bellwether.config.ConfigException;
import org.bellwether.config.ConfigLoader;
import org.bellwether.config.LogConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each test logs through a logback context of its own, stopped afterwards, so the process's logging (and other tests')
 * is left as it was.
 */
class LogSetupTest {
    private static final String NODE = """
            scope: batman
            name: node1
            restapi:
              listen: 127.0.0.1:8008
              connect_address: 127.0.0.1:8008
            etcd3:
              host: 127.0.0.1:2379
            postgresql:
              listen: 127.0.0.1:5432
              connect_address: 127.0.0.1:5432
              data_dir: /tmp/data
              authentication:
                superuser:
                  username: postgres
                replication:
                  username: replicator
            log:
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final LoggerContext context = newContext();
    private final LogSetup setup = new LogSetup(context, false);

    private static LoggerContext newContext() {
        LoggerContext context = new LoggerContext();
        // What logback's own initialisation gives the process's context; events cannot be made without it.
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }

    @AfterEach
    void stopTheTestsOwnContext() {
        context.stop();
    }

    private LogConfig config(String log) throws ConfigException, IOException {
        Path file = Files.writeString(dir.resolve("config.yml"), NODE + "  dir: " + dir.resolve("logs") + "\n" + log);
        return ConfigLoader.load(file, Map.of()).config().log();
    }

    private LogConfig applied(String log) throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        LogConfig config = config(log);
        setup.apply(config);
        return config;
    }

    private Logger logger(String name) {
        return context.getLogger(name);
    }

    private List<String> lines() throws IOException {
        return Files.readAllLines(dir.resolve("logs").resolve("patroni.log"));
    }

    private List<Appender<ILoggingEvent>> rootAppenders() {
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        Iterator<Appender<ILoggingEvent>> it = logger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        it.forEachRemaining(appenders::add);
        return appenders;
    }

    @Test
    void json_eachLineIsAnObjectWithPatronisFieldNames() throws Exception {
        applied("""
                  type: json
                  format:
                    - asctime: '@timestamp'
                    - levelname
                    - name
                    - message
                    - process
                    - lineno
                    - funcName
                  static_fields:
                    app: bellwether
                """);

        logger("org.bellwether.test").info("cycle {} done", 7);
        logger("org.bellwether.test").error("could not renew", new IllegalStateException("boom"));

        List<String> lines = lines();
        assertThat(lines).hasSize(2);
        JsonNode info = JSON.readTree(lines.get(0));
        assertThat(info.fieldNames())
                .toIterable()
                .containsExactly("@timestamp", "levelname", "name", "message", "process", "lineno", "funcName", "app");
        assertThat(info.get("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}");
        assertThat(info.get("levelname").asText()).isEqualTo("INFO");
        assertThat(info.get("name").asText()).isEqualTo("org.bellwether.test");
        assertThat(info.get("message").asText()).isEqualTo("cycle 7 done");
        assertThat(info.get("process").asLong())
                .isEqualTo(ProcessHandle.current().pid());
        assertThat(info.get("lineno").isInt()).isTrue();
        assertThat(info.get("funcName").asText()).isEqualTo("json_eachLineIsAnObjectWithPatronisFieldNames");
        assertThat(info.get("app").asText()).isEqualTo("bellwether");
        JsonNode error = JSON.readTree(lines.get(1));
        assertThat(error.get("levelname").asText()).isEqualTo("ERROR");
        assertThat(error.get("exc_info").asText())
                .startsWith("java.lang.IllegalStateException: boom")
                .contains("\tat org.bellwether.app.LogSetupTest.");
    }

    @Test
    void json_withoutAFormat_writesPatronisDefaultFields() throws Exception {
        applied("  type: json\n");

        logger("x").warn("careful");

        JsonNode line = JSON.readTree(lines().get(0));
        assertThat(line.fieldNames()).toIterable().containsExactly("asctime", "levelname", "message");
        assertThat(line.get("levelname").asText()).isEqualTo("WARNING");
    }

    @Test
    void plain_defaultIsPatronisFormat() throws Exception {
        applied("");

        logger("x").info("hello {}", "world");

        assertThat(lines())
                .singleElement()
                .asString()
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} INFO: hello world");
    }

    @Test
    void plain_formatAndDateformatAreTranslated() throws Exception {
        applied("""
                  format: '%(asctime)s [%(levelname)-8s] %(name)s.%(funcName)s:%(lineno)d %(threadName)s \
                pid=%(process)d %(msecs)03d (%(module)s) 100%% %(message)s'
                  dateformat: '%d/%m/%Y %H:%M'
                """);

        logger("org.bellwether.test").warn("slot {} lost", "s1");

        String thread = Thread.currentThread().getName();
        assertThat(lines())
                .singleElement()
                .asString()
                .matches("\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d \\[WARNING \\] org\\.bellwether\\.test\\."
                        + "plain_formatAndDateformatAreTranslated:\\d+ \\Q" + thread + "\\E pid="
                        + ProcessHandle.current().pid() + " \\d{3} \\(LogSetupTest\\) 100% slot s1 lost");
    }

    @Test
    void plain_stackTraceFollowsTheLine() throws Exception {
        applied("");

        logger("x").error("failed", new IllegalArgumentException("bad"));

        List<String> lines = lines();
        assertThat(lines.get(0)).endsWith(" ERROR: failed");
        assertThat(lines.get(1)).isEqualTo("java.lang.IllegalArgumentException: bad");
        assertThat(lines.get(2)).startsWith("\tat org.bellwether.app.LogSetupTest.");
    }

    @Test
    void rotation_keepsFileNumOldFilesOfAboutFileSize() throws Exception {
        int fileSize = 1000;
        int fileNum = 3;
        applied("  file_size: " + fileSize + "\n  file_num: " + fileNum + "\n  mode: 0600\n");

        String filler = "x".repeat(70);
        for (int i = 0; i < fileSize * (fileNum + 3) / 100; i++) {
            logger("x").info("{} {}", i, filler);
        }

        try (Stream<Path> files = Files.list(dir.resolve("logs"))) {
            List<String> names =
                    files.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names)
                    .hasSizeLessThanOrEqualTo(fileNum + 1)
                    .containsExactly("patroni.log", "patroni.log.1", "patroni.log.2", "patroni.log.3");
        }
        for (int i = 1; i <= fileNum; i++) {
            Path old = dir.resolve("logs").resolve("patroni.log." + i);
            // Logback rotates before the event that finds the file full: by at most one line over.
            assertThat(Files.size(old)).isBetween((long) fileSize, fileSize + 200L);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(old)))
                    .isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dir.resolve("logs").resolve("patroni.log"))))
                .isEqualTo("rw-------");
    }

    @Test
    void mode_isAppliedToTheFileWhenOpened() throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        Files.createFile(dir.resolve("logs").resolve("patroni.log"));

        applied("  mode: 0640\n");

        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dir.resolve("logs").resolve("patroni.log"))))
                .isEqualTo("rw-r-----");
    }

    @Test
    void fileNumZero_neverRotates() throws Exception {
        applied("  file_size: 200\n  file_num: 0\n");

        for (int i = 0; i < 20; i++) {
            logger("x").info("line {} of some length", i);
        }

        try (Stream<Path> files = Files.list(dir.resolve("logs"))) {
            assertThat(files)
                    .singleElement()
                    .extracting(p -> p.getFileName().toString())
                    .isEqualTo("patroni.log");
        }
        assertThat(lines()).hasSize(20);
    }

    @Test
    void loggers_setLevelsOverTheRootsAndTheLibraries() throws Exception {
        applied("""
                  level: INFO
                  loggers:
                    org.bellwether.chatty: DEBUG
                    org.bellwether.quiet: ERROR
                    io.etcd: INFO
                """);

        logger("org.bellwether.chatty.Inner").debug("chatty debug");
        logger("org.bellwether.quiet").info("quiet info");
        logger("org.bellwether.other").info("other info");
        logger("org.bellwether.other").debug("other debug");

        assertThat(lines())
                .extracting(l -> l.substring(l.indexOf(' ', 11) + 1))
                .containsExactly("DEBUG: chatty debug", "INFO: other info");
        assertThat(logger("io.etcd").getLevel()).isEqualTo(Level.INFO);
        assertThat(logger("io.grpc").getLevel()).isEqualTo(Level.WARN);
        assertThat(logger("org.postgresql").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void reapplying_withoutALogger_givesItBackItsParentsOrTheLibraryLevel() throws Exception {
        applied("  loggers:\n    org.bellwether.chatty: DEBUG\n    io.etcd: DEBUG\n");

        applied("  level: WARNING\n");

        assertThat(logger("org.bellwether.chatty").getLevel()).isNull();
        assertThat(logger("org.bellwether.chatty").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(logger("io.etcd").getLevel()).isEqualTo(Level.ERROR);
    }

    @Test
    void applyingTheSameConfigurationAgain_changesNothing() throws Exception {
        LogConfig config = applied("");
        Appender<ILoggingEvent> first = rootAppenders().get(0);

        setup.apply(config);
        assertThat(rootAppenders()).containsExactly(first);

        applied("  type: json\n");
        assertThat(rootAppenders()).singleElement().isNotSameAs(first);
        assertThat(first.isStarted()).isFalse();
    }

    @Test
    void withoutDir_logsToStderr_throughTheNoiseFilter() throws Exception {
        Path file = Files.writeString(dir.resolve("config.yml"), NODE + "  level: INFO\n");

        setup.apply(ConfigLoader.load(file, Map.of()).config().log());

        assertThat(rootAppenders()).singleElement().isInstanceOf(ConsoleAppender.class);
        assertThat(((OutputStreamAppender<ILoggingEvent>) rootAppenders().get(0)).getCopyOfAttachedFiltersList())
                .singleElement()
                .isInstanceOf(ReplacedClientNoiseFilter.class);
    }

    @Test
    void missingDirectory_failsAndLeavesTheLoggingAsItWas() throws Exception {
        applied("");
        List<Appender<ILoggingEvent>> before = rootAppenders();
        Path file = Files.writeString(dir.resolve("config.yml"), NODE + "  dir: " + dir.resolve("missing") + "\n");
        LogConfig elsewhere = ConfigLoader.load(file, Map.of()).config().log();

        IOException e = catchThrowableOfType(IOException.class, () -> setup.apply(elsewhere));

        assertThat(e).hasMessageContaining("missing");
        assertThat(rootAppenders()).isEqualTo(before);
        assertThat(before.get(0).isStarted()).isTrue();
    }
}
