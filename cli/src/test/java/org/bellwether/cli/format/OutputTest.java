package org.bellwether.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.bellwether.cli.format.Output.Format;
import org.junit.jupiter.api.Test;

/** Expected texts are patronictl's {@code print_output} (prettytable 3) of the same rows. */
class OutputTest {
    private static final List<String> COLUMNS = List.of("Member", "Host", "Role", "State", "TL", "Lag in MB");
    private static final List<List<Object>> ROWS = List.of(
            List.of("postgresql0", "127.0.0.1:5432", "Leader", "running", 5, ""),
            List.of("postgresql1", "127.0.0.1:5433", "Replica", "streaming", 5, 0));

    @Test
    void pretty_withTitleInTheTopRule() {
        String out = Output.print(
                COLUMNS,
                ROWS,
                Set.of("TL", "Lag in MB"),
                Format.PRETTY,
                " Cluster: batman (7277694203142172922) ",
                "\t");

        assertThat(out).isEqualTo("""
                        + Cluster: batman (7277694203142172922) -+-----------+----+-----------+
                        | Member      | Host           | Role    | State     | TL | Lag in MB |
                        +-------------+----------------+---------+-----------+----+-----------+
                        | postgresql0 | 127.0.0.1:5432 | Leader  | running   |  5 |           |
                        | postgresql1 | 127.0.0.1:5433 | Replica | streaming |  5 |         0 |
                        +-------------+----------------+---------+-----------+----+-----------+
                        """);
    }

    @Test
    void pretty_multiLineCell_rulesBetweenRows() {
        List<List<Object>> rows =
                List.of(List.of("p0", "Leader", "a: b\nnofailover: true"), List.of("p1", "Replica", ""));

        String out = Output.print(List.of("Member", "Role", "Tags"), rows, Set.of(), Format.PRETTY, "", "\t");

        assertThat(out).isEqualTo("""
                        +--------+---------+------------------+
                        | Member | Role    | Tags             |
                        +--------+---------+------------------+
                        | p0     | Leader  | a: b             |
                        |        |         | nofailover: true |
                        +--------+---------+------------------+
                        | p1     | Replica |                  |
                        +--------+---------+------------------+
                        """);
    }

    @Test
    void pretty_emptyTable_andRightAlignedHeader() {
        String out = Output.print(
                List.of("TL", "LSN", "Reason", "Timestamp", "New Leader"),
                List.of(),
                Set.of("TL", "LSN"),
                Format.PRETTY,
                "",
                "\t");

        assertThat(out).isEqualTo("""
                        +----+-----+--------+-----------+------------+
                        | TL | LSN | Reason | Timestamp | New Leader |
                        +----+-----+--------+-----------+------------+
                        +----+-----+--------+-----------+------------+
                        """);
    }

    @Test
    void titleLongerThanTheTable_isCut() {
        String out = Output.print(
                List.of("a"), List.of(List.of("1")), Set.of(), Format.PRETTY, " Cluster: long-name ", "\t");

        assertThat(out.lines().findFirst()).contains("+ Cl+");
    }

    @Test
    void tsv_json_yaml() {
        assertThat(Output.print(COLUMNS, ROWS, Set.of(), Format.TSV, "x", "\t"))
                .isEqualTo("Member\tHost\tRole\tState\tTL\tLag in MB\n"
                        + "postgresql0\t127.0.0.1:5432\tLeader\trunning\t5\t\n"
                        + "postgresql1\t127.0.0.1:5433\tReplica\tstreaming\t5\t0\n");
        assertThat(Output.print(COLUMNS, ROWS.subList(0, 1), Set.of(), Format.JSON, "x", "\t"))
                .isEqualTo("[{\"Member\": \"postgresql0\", \"Host\": \"127.0.0.1:5432\", \"Role\": \"Leader\", "
                        + "\"State\": \"running\", \"TL\": 5}]\n");
        assertThat(Output.print(COLUMNS, ROWS.subList(1, 2), Set.of(), Format.YAML, "x", "\t"))
                .isEqualTo("""
                        - Host: 127.0.0.1:5433
                          Lag in MB: 0
                          Member: postgresql1
                          Role: Replica
                          State: streaming
                          TL: 5

                        """);
    }

    @Test
    void withoutTitle_emptyValuesAreKeptInJson() {
        assertThat(Output.print(List.of("TL", "Timestamp"), List.of(List.of(2, "")), Set.of(), Format.JSON, "", "\t"))
                .isEqualTo("[{\"TL\": 2, \"Timestamp\": \"\"}]\n");
    }
}
