package org.bellwether.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bellwether.postgres.BinDirs;
import org.bellwether.postgres.ParameterCheck;
import org.bellwether.postgres.PostgresException;
import org.bellwether.postgres.ProcessRunner;

/**
 * {@code edit-config} asks PostgreSQL's server program about the {@code postgresql.parameters} an edit sets, when one is
 * installed where the command runs, so that a value no node could start with is refused before it is stored. Where it
 * cannot ask (no PostgreSQL here, or run as root, which the server program refuses), it says so; the agents still keep
 * such a value out of their configuration files.
 */
final class ChangedParameters {
    /** Errors refuse the edit; warnings are printed. */
    record Verdict(List<String> errors, List<String> warnings) {}

    private ChangedParameters() {}

    static Verdict judge(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> changed = changed(ParameterCheck.parametersOf(before), ParameterCheck.parametersOf(after));
        if (changed.isEmpty()) {
            return new Verdict(List.of(), List.of());
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return new Verdict(
                    List.of(),
                    List.of("postgresql.parameters: not checked by PostgreSQL, whose server program refuses to run"
                            + " as root"));
        }
        try {
            ParameterCheck check = new ParameterCheck(BinDirs.find(Optional.empty()), ProcessRunner.direct());
            List<String> errors = new ArrayList<>();
            check.check(changed).forEach(p -> errors.add("postgresql.parameters." + p));
            return new Verdict(errors, List.of());
        } catch (PostgresException e) {
            return new Verdict(
                    List.of(), List.of("postgresql.parameters: not checked by PostgreSQL: " + e.getMessage()));
        }
    }

    private static Map<String, Object> changed(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> changed = new LinkedHashMap<>();
        after.forEach((name, value) -> {
            if (value != null && !Objects.equals(String.valueOf(value), String.valueOf(before.get(name)))) {
                changed.put(name, value);
            }
        });
        return changed;
    }
}
