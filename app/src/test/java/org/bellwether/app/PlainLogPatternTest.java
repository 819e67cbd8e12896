package org.bellwether.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.format.DateTimeFormatter;
import java.util.OptionalInt;
import org.bellwether.config.LogFormat;
import org.bellwether.config.LogFormat.Field;
import org.bellwether.config.LogRecordField;
import org.junit.jupiter.api.Test;

class PlainLogPatternTest {
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ISO_INSTANT;

    private static Field field(LogRecordField f, String flags, Integer width, Integer precision, char conversion) {
        return new Field(
                f,
                flags,
                width == null ? OptionalInt.empty() : OptionalInt.of(width),
                precision == null ? OptionalInt.empty() : OptionalInt.of(precision),
                conversion);
    }

    @Test
    void patronisDefault_usesLogbacksWordForTheMessage() {
        PlainLogPattern.Compiled compiled = PlainLogPattern.of(LogFormat.DEFAULT.parts(), ASCTIME);

        assertThat(compiled.pattern()).isEqualTo("%py_asctime{} %py_levelname{}: %msg{}%n");
        assertThat(compiled.converters()).containsOnlyKeys("py_asctime", "py_levelname");
    }

    @Test
    void pythonWidthAndPrecision_becomeLogbackModifiers_andTextIsEscaped() {
        PlainLogPattern.Compiled compiled = PlainLogPattern.of(
                java.util.List.of(
                        field(LogRecordField.NAME, "-", 20, null, 's'),
                        new LogFormat.Text(" (x) 100% \\ "),
                        field(LogRecordField.MESSAGE, "", null, 5, 's'),
                        field(LogRecordField.LINENO, "", 4, null, 'd'),
                        field(LogRecordField.LINENO, "0", 4, null, 'd')),
                ASCTIME);

        assertThat(compiled.pattern()).isEqualTo("%-20logger{} \\(x\\) 100\\% \\\\ %.-5msg{}%4line{}%py_lineno{}%n");
    }

    @Test
    void percent_formatsAsPythonsOperator() {
        assertThat(PythonFieldConverter.percent(field(LogRecordField.MSECS, "0", 3, null, 'd'), 7.0))
                .isEqualTo("007");
        assertThat(PythonFieldConverter.percent(field(LogRecordField.CREATED, "", null, null, 'f'), 1.5))
                .isEqualTo("1.500000");
        assertThat(PythonFieldConverter.percent(field(LogRecordField.CREATED, "", null, null, 's'), 1.7000000001234E9))
                .isEqualTo("1700000000.1234");
        assertThat(PythonFieldConverter.percent(field(LogRecordField.LEVELNAME, "-", 8, null, 's'), "INFO"))
                .isEqualTo("INFO    ");
        assertThat(PythonFieldConverter.percent(field(LogRecordField.LEVELNAME, "", null, 1, 's'), "INFO"))
                .isEqualTo("I");
        assertThat(PythonFieldConverter.percent(field(LogRecordField.PATHNAME, "", null, null, 's'), null))
                .isEqualTo("None");
        assertThat(PythonFieldConverter.percent(field(LogRecordField.NAME, "", null, null, 'd'), "x.y"))
                .isEqualTo("x.y");
    }
}
