package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bellwether.postgres.ParameterCheck.Problem;
import org.bellwether.testkit.PostgresBinaries;
import org.bellwether.testkit.SystemUser;
import org.junit.jupiter.api.Test;

/** PostgreSQL's server program judges parameters as it would at start-up; no server runs. */
class ParameterCheckIT {
    private final ParameterCheck check =
            new ParameterCheck(PostgresBinaries.binDir(), new ProcessRunner(SystemUser::asPostgres));

    @Test
    void valuesPostgresAccepts_passWithTheirUnitsAndTypes() throws Exception {
        Map<String, Object> good = new LinkedHashMap<>();
        good.put("work_mem", "64MB");
        good.put("max_connections", 200);
        good.put("hot_standby_feedback", true);
        good.put("wal_level", "logical");
        good.put("pg_stat_statements.max", "5000");
        good.put("archive_command", "pgbackrest --stanza=main archive-push %p");
        good.put("removed_locally", null);

        assertThat(check.check(good)).isEmpty();
    }

    @Test
    void garbageValue_isRefusedWithPostgresOwnMessage() throws Exception {
        List<Problem> problems = check.check(Map.of("work_mem", "garbage"));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("work_mem");
            assertThat(p.message()).contains("invalid value for parameter \"work_mem\": \"garbage\"");
        });
    }

    @Test
    void everyBadParameter_isReportedNotOnlyTheFirst() throws Exception {
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("wal_level", "bogus");
        bad.put("max_connections", -5);
        bad.put("no_such_setting", "1");
        bad.put("work_mem", "4MB");

        List<Problem> problems = check.check(bad);

        assertThat(problems)
                .extracting(Problem::name)
                .containsExactlyInAnyOrder("wal_level", "max_connections", "no_such_setting");
        assertThat(problems)
                .filteredOn(p -> p.name().equals("wal_level"))
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("Available values"));
        assertThat(problems)
                .filteredOn(p -> p.name().equals("no_such_setting"))
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("unrecognized configuration parameter"));
    }

    @Test
    void lineBreaksMalformedNamesAndNestedValues_areRefusedBeforeAskingPostgres() throws Exception {
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("cluster_name", "a\nb");
        bad.put("bad name", "1");
        bad.put("work_mem", Map.of("value", "4MB"));

        List<Problem> problems = check.check(bad);

        assertThat(problems)
                .extracting(Problem::name)
                .containsExactlyInAnyOrder("cluster_name", "bad name", "work_mem");
        assertThat(ParameterCheck.inForm(bad)).hasSize(3);
    }
}
