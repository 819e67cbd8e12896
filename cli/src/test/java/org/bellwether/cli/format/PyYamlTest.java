package org.bellwether.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Expected texts are PyYAML 6's {@code safe_dump(..., allow_unicode=True, width=200)} of the same data. */
class PyYamlTest {
    @Test
    void dynamicConfiguration_matchesPyYaml_keysSortedListsUnindentedQuotesOnlyWhereNeeded() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("max_connections", 100);
        parameters.put("wal_level", "replica");
        parameters.put("archive_command", "cp %p /archive/%f");
        parameters.put("shared_preload_libraries", "pg_stat_statements, auto_explain");
        parameters.put("work_mem", "4MB");
        parameters.put("ratio", 0.5);
        parameters.put("empty", "");
        parameters.put("onoff", "on");
        parameters.put("num", "10");
        parameters.put("date", "2024-01-01");
        parameters.put("colon", "a: b");
        parameters.put("hash", "a #b");
        parameters.put("lead", "-x");
        parameters.put("dash", "- x");
        parameters.put("star", "*x");
        parameters.put("quote", "it's");
        parameters.put("uni", "café");
        parameters.put("tab", "a\tb");
        parameters.put("trail", "x ");
        parameters.put("q", "?x");
        parameters.put("big", 1e20);
        parameters.put("small", 1.5e-05);
        Map<String, Object> postgresql = new LinkedHashMap<>();
        postgresql.put("use_pg_rewind", true);
        postgresql.put("use_slots", true);
        postgresql.put("parameters", parameters);
        postgresql.put("pg_hba", List.of("host all all 0.0.0.0/0 md5", "local all all trust"));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("loop_wait", 10);
        config.put("ttl", 30);
        config.put("retry_timeout", 10);
        config.put("maximum_lag_on_failover", 1048576);
        config.put("postgresql", postgresql);
        config.put("slots", Map.of("s1", Map.of("type", "physical")));
        config.put(
                "ignore_slots", List.of(new TreeMap<>(Map.of("name", "x", "type", "logical")), Map.of("plugin", "y")));
        config.put("nested", List.of(List.of(1, 2), List.of()));
        config.put("emptymap", Map.of());
        config.put("standby_cluster", null);
        config.put("synchronous_mode", "quorum");
        config.put("Lag in MB", 0);
        config.put("?column?", 1);

        assertThat(PyYaml.dump(config)).isEqualTo("""
                        ?column?: 1
                        Lag in MB: 0
                        emptymap: {}
                        ignore_slots:
                        - name: x
                          type: logical
                        - plugin: y
                        loop_wait: 10
                        maximum_lag_on_failover: 1048576
                        nested:
                        - - 1
                          - 2
                        - []
                        postgresql:
                          parameters:
                            archive_command: cp %p /archive/%f
                            big: 1.0e+20
                            colon: 'a: b'
                            dash: '- x'
                            date: '2024-01-01'
                            empty: ''
                            hash: 'a #b'
                            lead: -x
                            max_connections: 100
                            num: '10'
                            onoff: 'on'
                            q: ?x
                            quote: it's
                            ratio: 0.5
                            shared_preload_libraries: pg_stat_statements, auto_explain
                            small: 1.5e-05
                            star: '*x'
                            tab: "a\\tb"
                            trail: 'x '
                            uni: café
                            wal_level: replica
                            work_mem: 4MB
                          pg_hba:
                          - host all all 0.0.0.0/0 md5
                          - local all all trust
                          use_pg_rewind: true
                          use_slots: true
                        retry_timeout: 10
                        slots:
                          s1:
                            type: physical
                        standby_cluster: null
                        synchronous_mode: quorum
                        ttl: 30
                        """);
    }

    @Test
    void flowStyle_asForTagsInTsv() {
        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("nofailover", true);
        tags.put("a", "b");
        tags.put("x", new ArrayList<>(List.of(1, "a,b")));
        tags.put("y", Map.of("z", "{q}"));

        assertThat(PyYaml.dumpFlow(tags)).isEqualTo("{a: b, nofailover: true, x: [1, 'a,b'], y: {z: '{q}'}}\n");
    }

    @Test
    void listOfRecords_andEmptyDocument() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("TL", 5);
        row.put("Cluster", "b");

        assertThat(PyYaml.dump(List.of(row))).isEqualTo("- Cluster: b\n  TL: 5\n");
        assertThat(PyYaml.dump(Map.of())).isEqualTo("{}\n");
        assertThat(PyYaml.dump(List.of())).isEqualTo("[]\n");
    }

    @Test
    void multilineString_isDoubleQuoted_andReadsBack() {
        assertThat(PyYaml.dump(Map.of("nl", "a\nb"))).isEqualTo("nl: \"a\\nb\"\n");
    }
}
