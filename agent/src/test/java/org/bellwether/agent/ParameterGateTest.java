package org.bellwether.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.postgres.ParameterCheck;
import org.bellwether.postgres.ParameterCheck.Problem;
import org.junit.jupiter.api.Test;

class ParameterGateTest {
    /** Stands in for PostgreSQL: refuses work_mem values that are not a number of MB, counts its calls. */
    private final List<Map<String, ?>> asked = new ArrayList<>();

    private final ParameterGate gate = new ParameterGate(parameters -> {
        asked.add(parameters);
        List<Problem> problems = new ArrayList<>(ParameterCheck.inForm(parameters));
        Object workMem = parameters.get("work_mem");
        if (workMem != null && !workMem.toString().matches("[0-9]+MB")) {
            problems.add(new Problem("work_mem", "invalid value for parameter \"work_mem\": \"" + workMem + "\""));
        }
        return problems;
    });

    private static SortedMap<String, Object> params(Object... pairs) {
        SortedMap<String, Object> map = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void refusedValue_keepsTheLastAdmittedOne() {
        assertThat(gate.admit(params("work_mem", "64MB", "max_connections", 100)))
                .isEqualTo(params("work_mem", "64MB", "max_connections", 100));

        assertThat(gate.admit(params("work_mem", "garbage", "max_connections", 200)))
                .isEqualTo(params("work_mem", "64MB", "max_connections", 200));
    }

    @Test
    void refusedValueNeverAdmittedBefore_isLeftOut() {
        assertThat(gate.admit(params("work_mem", "garbage", "cluster_name", "a\nb", "shared_buffers", "1GB")))
                .isEqualTo(params("shared_buffers", "1GB"));
    }

    @Test
    void sameParametersAgain_areNotCheckedAgain() {
        gate.admit(params("work_mem", "garbage"));
        gate.admit(params("work_mem", "garbage"));
        gate.admit(params("work_mem", "garbage"));

        assertThat(asked).hasSize(1);
    }
}
