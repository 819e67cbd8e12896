package org.bellwether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.bellwether.config.ConfigException.Kind;
import org.bellwether.config.LogFormat.Field;
import org.bellwether.config.LogFormat.JsonField;
import org.bellwether.config.LogFormat.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSectionTest {
    @TempDir
    Path dir;

    private LoadedConfig load(String log, Map<String, String> env) throws ConfigException {
        return ConfigLoader.load(Samples.write(dir, "config.yml", Samples.MINIMAL + "log:\n" + log), env);
    }

    private LogConfig log(String log) throws ConfigException {
        return load(log, Map.of()).config().log();
    }

    private List<String> warnings(String log) throws ConfigException {
        return load(log, Map.of()).warnings();
    }

    private ConfigException failure(String log) {
        return catchThrowableOfType(ConfigException.class, () -> load(log, Map.of()));
    }

    private String file() {
        return dir.resolve("config.yml").toString();
    }

    @Test
    void noLogSection_isPatronisDefaults() throws ConfigException {
        LogConfig defaults = LogConfig.DEFAULTS;

        assertThat(defaults.level()).isEqualTo("INFO");
        assertThat(defaults.format())
                .isEqualTo(new LogFormat.Plain(List.of(
                        Field.of(LogRecordField.ASCTIME),
                        new Text(" "),
                        Field.of(LogRecordField.LEVELNAME),
                        new Text(": "),
                        Field.of(LogRecordField.MESSAGE))));
        assertThat(defaults.asctimePattern()).isEqualTo("yyyy-MM-dd HH:mm:ss,SSS");
        assertThat(defaults.rotates()).isTrue();
        assertThat(log("  level: INFO\n")).isEqualTo(defaults);
    }

    @Test
    void plainFormat_isCutIntoTextAndFieldsWithTheirSpecs() throws ConfigException {
        LogConfig c = log("  format: '[%(levelname)-8s] %(name)s:%(lineno)d %(msecs)03d %% %(message).20s'\n");

        assertThat(((LogFormat.Plain) c.format()).parts())
                .containsExactly(
                        new Text("["),
                        new Field(LogRecordField.LEVELNAME, "-", OptionalInt.of(8), OptionalInt.empty(), 's'),
                        new Text("] "),
                        Field.of(LogRecordField.NAME),
                        new Text(":"),
                        new Field(LogRecordField.LINENO, "", OptionalInt.empty(), OptionalInt.empty(), 'd'),
                        new Text(" "),
                        new Field(LogRecordField.MSECS, "0", OptionalInt.of(3), OptionalInt.empty(), 'd'),
                        new Text(" % "),
                        new Field(LogRecordField.MESSAGE, "", OptionalInt.empty(), OptionalInt.of(20), 's'));
    }

    @Test
    void jsonFormat_listWithRenames_asInPatronisDocumentation() throws ConfigException {
        LogConfig c = log("""
                  type: json
                  format:
                    - message
                    - module
                    - asctime: '@timestamp'
                    - levelname: level
                  static_fields:
                    app: patroni
                """);

        assertThat(((LogFormat.Json) c.format()).fields())
                .containsExactly(
                        new JsonField(LogRecordField.MESSAGE, "message"),
                        new JsonField(LogRecordField.MODULE, "module"),
                        new JsonField(LogRecordField.ASCTIME, "@timestamp"),
                        new JsonField(LogRecordField.LEVELNAME, "level"));
        assertThat(c.staticFields()).containsExactly(entry("app", "patroni"));
    }

    @Test
    void jsonFormat_stringOrNone_takesTheFieldsItNames() throws ConfigException {
        assertThat(((LogFormat.Json) log("  type: json\n").format()).fields())
                .extracting(JsonField::key)
                .containsExactly("asctime", "levelname", "message");
        assertThat(((LogFormat.Json) log("  type: json\n  format: '%(name)s %(process)d'\n")
                                .format())
                        .fields())
                .extracting(JsonField::key)
                .containsExactly("name", "process");
    }

    @Test
    void dateformat_becomesAJavaTimePatternThatFormatsAsStrftimeWould() throws ConfigException {
        String pattern = log("  dateformat: '%Y-%m-%dT%H:%M:%S%z on %a %d %b, day %j (%p) 100%%'\n")
                .asctimePattern();

        String written = DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH)
                .format(ZonedDateTime.of(2024, 3, 5, 14, 7, 9, 0, ZoneOffset.ofHours(1)));
        assertThat(written).isEqualTo("2024-03-05T14:07:09+0100 on Tue 05 Mar, day 065 (PM) 100%");
    }

    @Test
    void mode_isOctalAsPatroniReadsIt() throws ConfigException {
        assertThat(log("  dir: /var/log/x\n  mode: 0640\n").mode()).isEqualTo(OptionalInt.of(0640));
        assertThat(log("  dir: /var/log/x\n  mode: '0600'\n").mode()).isEqualTo(OptionalInt.of(0600));
        assertThat(log("  dir: /var/log/x\n  mode: 420\n").mode()).isEqualTo(OptionalInt.of(0644));
    }

    @Test
    void loggers_takePythonNamesAndNumbers() throws ConfigException {
        LogConfig c = log("  loggers:\n    org.bellwether.dcs: debug\n    io.etcd: 30\n    io.grpc: NOTSET\n");

        assertThat(c.loggers())
                .containsExactly(
                        entry("io.etcd", "WARNING"), entry("io.grpc", "NOTSET"), entry("org.bellwether.dcs", "DEBUG"));
    }

    @Test
    void environment_setsEveryLogSetting() throws ConfigException {
        Map<String, String> env = Map.ofEntries(
                Map.entry("PATRONI_LOG_LEVEL", "WARNING"),
                Map.entry("PATRONI_LOG_TYPE", "json"),
                Map.entry("PATRONI_LOG_FORMAT", "message, levelname"),
                Map.entry("PATRONI_LOG_DATEFORMAT", "%H:%M:%S"),
                Map.entry("PATRONI_LOG_STATIC_FIELDS", "app: bellwether"),
                Map.entry("PATRONI_LOG_DIR", "/var/log/bw"),
                Map.entry("PATRONI_LOG_FILE_NUM", "7"),
                Map.entry("PATRONI_LOG_FILE_SIZE", "1000000"),
                Map.entry("PATRONI_LOG_MODE", "0600"),
                Map.entry("PATRONI_LOG_LOGGERS", "org.bellwether.agent: DEBUG"),
                Map.entry("PATRONI_LOG_TRACEBACK_LEVEL", "ERROR"));

        LoadedConfig loaded = load("  level: DEBUG\n", env);

        LogConfig c = loaded.config().log();
        assertThat(c.level()).isEqualTo("WARNING");
        assertThat(((LogFormat.Json) c.format()).fields())
                .extracting(JsonField::key)
                .containsExactly("message", "levelname");
        assertThat(c.asctimePattern()).isEqualTo("HH:mm:ss");
        assertThat(c.staticFields()).containsExactly(entry("app", "bellwether"));
        assertThat(c.dir()).contains(Path.of("/var/log/bw"));
        assertThat(c.fileNum()).isEqualTo(7);
        assertThat(c.fileSize()).isEqualTo(1_000_000L);
        assertThat(c.mode()).isEqualTo(OptionalInt.of(0600));
        assertThat(c.loggers()).containsExactly(entry("org.bellwether.agent", "DEBUG"));
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void environment_legacyFormatNames() throws ConfigException {
        LogConfig c = load("", Map.of("PATRONI_LOGFORMAT", "%(levelname)s %(message)s", "PATRONI_LOG_DATEFMT", "%H"))
                .config()
                .log();

        assertThat(((LogFormat.Plain) c.format()).parts()).hasSize(3);
        assertThat(c.asctimePattern()).isEqualTo("HH");
    }

    @Test
    void settingsBellwetherCannotApply_areWarnedAboutNotDropped() throws ConfigException {
        List<String> w = warnings("""
                  level: CRITICAL
                  traceback_level: DEBUG
                  max_queue_size: 1000
                  deduplicate_heartbeat_logs: true
                  static_fields:
                    app: patroni
                  mode: 0644
                  format: '%(asctime)s %(pathname)s %(message)s'
                  dateformat: '%Y week %U'
                  loggers:
                    patroni.postmaster: WARNING
                """);

        assertThat(w)
                .containsExactlyInAnyOrder(
                        file() + ": log.level: applied as ERROR: logback has no level above ERROR, so errors are"
                                + " written too",
                        file() + ": log.traceback_level: accepted, not applied: a stack trace is written with the"
                                + " event that carries it",
                        file() + ": log.format: accepted, not applied: a Java process has no counterpart of Python's"
                                + " LogRecord.pathname; it is written empty",
                        file() + ": log.dateformat: accepted, not applied: %U has no java.time counterpart; it is"
                                + " written as text",
                        file() + ": log.static_fields: accepted, not applied: only written with type json, as in"
                                + " Patroni",
                        file() + ": log.max_queue_size: accepted, not applied: events are written as they are logged,"
                                + " without Patroni's queue",
                        file() + ": log.mode: accepted, not applied: only used with log.dir",
                        file() + ": log.loggers.patroni.postmaster: accepted, not applied: one of Patroni's Python"
                                + " loggers; Bellwether's are Java names such as org.bellwether.agent or io.etcd",
                        file() + ": log.deduplicate_heartbeat_logs: accepted, not applied: each cycle's line says what"
                                + " the agent decided; there are no heartbeat lines to drop");
    }

    @Test
    void defaultsOfSettingsBellwetherCannotApply_needNoWarning() throws ConfigException {
        assertThat(warnings("  traceback_level: ERROR\n  deduplicate_heartbeat_logs: false\n"))
                .isEmpty();
    }

    @Test
    void badValues_areErrorsNamingTheKey() {
        assertThat(failure("  level: VERBOSE\n").getMessage())
                .isEqualTo(file() + ": log.level: expected one of DEBUG, INFO, WARN, WARNING, ERROR, FATAL, CRITICAL,"
                        + " got 'VERBOSE'");
        assertThat(failure("  dir: /x\n  mode: '0648'\n").getMessage())
                .isEqualTo(file() + ": log.mode: expected octal file permissions such as 0644, got '0648'");
        assertThat(failure("  dir: /x\n  mode: 644\n").getMessage())
                .isEqualTo(file() + ": log.mode: expected octal file permissions from 0 to 0777 such as 0644, got 644"
                        + " (read as decimal; write 0644 for octal)");
        assertThat(failure("  file_size: -1\n").getMessage())
                .isEqualTo(file() + ": log.file_size: must be at least 0, got -1");
        assertThat(failure("  file_num: -2\n").getMessage()).startsWith(file() + ": log.file_num: ");
        assertThat(failure("  type: xml\n").getMessage())
                .startsWith(file() + ": log.type: expected one of plain, json");
        assertThat(failure("  loggers:\n    io.etcd: LOUD\n").getMessage())
                .isEqualTo(file() + ": log.loggers.io.etcd: expected one of NOTSET, DEBUG, INFO, WARNING, ERROR,"
                        + " CRITICAL, got 'LOUD'");
    }

    @Test
    void badFormats_areErrorsSayingWhere() {
        ConfigException typo = failure("  format: '%(asctime)s %(levelnam)s %(message)s'\n");
        assertThat(typo.getMessage())
                .startsWith(file() + ": log.format: 'levelnam' is not a LogRecord attribute; the attributes are");
        assertThat(typo.problems().get(0).kind()).isEqualTo(Kind.INVALID_VALUE);
        assertThat(failure("  format: '%(message)s 100%'\n").getMessage())
                .isEqualTo(file() + ": log.format: a '%' at position 16 is neither a field such as %(message)s nor a"
                        + " literal %%");
        assertThat(failure("  format: '%(message)'\n").getMessage())
                .isEqualTo(file() + ": log.format: %(message) at position 1 has no conversion such as s or d after"
                        + " it");
        assertThat(failure("  format: 'no fields'\n").getMessage())
                .isEqualTo(file() + ": log.format: names no field; write fields as %(message)s");
        assertThat(failure("  type: json\n  format:\n    - message\n    - 3\n").getMessage())
                .isEqualTo(file() + ": log.format[1]: expected a field name or {field: key}, got 3");
    }

    @Test
    void environmentErrors_nameTheVariable() {
        ConfigException e =
                catchThrowableOfType(ConfigException.class, () -> load("", Map.of("PATRONI_LOG_MODE", "rw-r--r--")));

        assertThat(e.getMessage())
                .isEqualTo("environment PATRONI_LOG_MODE: log.mode: expected octal file permissions such as 0644,"
                        + " got 'rw-r--r--'");
    }

    @Test
    void listFormatWithPlainType_fallsBackToPatronisDefaultWithAWarning() throws ConfigException {
        LoadedConfig loaded = load("  format: [message, levelname]\n", Map.of());

        assertThat(loaded.config().log().format()).isEqualTo(LogFormat.DEFAULT);
        assertThat(loaded.warnings())
                .containsExactly(file() + ": log.format: a list of fields is for type json; Patroni's default format"
                        + " is used, as in Patroni");
    }
}
