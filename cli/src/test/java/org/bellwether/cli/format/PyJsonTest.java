package org.bellwether.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PyJsonTest {
    @Test
    void dumps_likePythonsDefaults() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("Member", "n1");
        row.put("TL", 1);
        row.put("x", null);
        row.put("f", 0.25);
        row.put("u", "é");
        row.put("b", true);

        assertThat(PyJson.dumps(List.of(row)))
                .isEqualTo(
                        "[{\"Member\": \"n1\", \"TL\": 1, \"x\": null, \"f\": 0.25, \"u\": \"\\u00e9\", \"b\": true}]");
    }

    @Test
    void floats_asPythonReprs() {
        assertThat(PyValues.floatRepr(1e16)).isEqualTo("1e+16");
        assertThat(PyValues.floatRepr(1e15)).isEqualTo("1000000000000000.0");
        assertThat(PyValues.floatRepr(0.0001)).isEqualTo("0.0001");
        assertThat(PyValues.floatRepr(0.00001)).isEqualTo("1e-05");
        assertThat(PyValues.floatRepr(-2.5)).isEqualTo("-2.5");
        assertThat(PyValues.floatRepr(3.0)).isEqualTo("3.0");
    }

    @Test
    void str_likePython() {
        assertThat(PyValues.str(null)).isEqualTo("None");
        assertThat(PyValues.str(true)).isEqualTo("True");
        assertThat(PyValues.str(7L)).isEqualTo("7");
        assertThat(PyValues.str(List.of("a", 1))).isEqualTo("['a', 1]");
    }
}
