package org.bellwether.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.bellwether.core.KeyProblem;
import org.junit.jupiter.api.Test;

class KeyProblemLogTest {
    private final List<String> lines = new ArrayList<>();
    private final KeyProblemLog log = new KeyProblemLog(lines::add);

    private static KeyProblem initialize(long version, String problem) {
        return new KeyProblem("/service/demo/initialize", version, problem);
    }

    @Test
    void aBrokenKey_isReportedOncePerChange_notOncePerCycle() {
        for (int cycle = 0; cycle < 5; cycle++) {
            log.report(List.of(initialize(7, "'garbage' is not a PostgreSQL system identifier")));
        }
        log.report(List.of(initialize(9, "'junk' is not a PostgreSQL system identifier")));

        assertThat(lines)
                .containsExactly(
                        "DCS key /service/demo/initialize (version 7): 'garbage' is not a PostgreSQL system identifier",
                        "DCS key /service/demo/initialize (version 9): 'junk' is not a PostgreSQL system identifier");
    }

    @Test
    void aKeyThatBreaksAgainAfterBeingRepaired_isReportedAgain() {
        log.report(List.of(initialize(7, "broken")));
        log.report(List.of());
        log.report(List.of(initialize(7, "broken")));

        assertThat(lines).hasSize(2);
    }

    @Test
    void eachKey_isReportedOnItsOwn() {
        KeyProblem leader = new KeyProblem("/service/demo/leader", 3, "'' names no node");
        log.report(List.of(initialize(7, "broken"), leader));
        log.report(List.of(leader));

        assertThat(lines).hasSize(2).anyMatch(l -> l.contains("/service/demo/leader (version 3)"));
    }
}
