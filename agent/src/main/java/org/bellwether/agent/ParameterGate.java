package org.bellwether.agent;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.postgres.ParameterCheck;
import org.bellwether.postgres.ParameterCheck.Problem;
import org.bellwether.postgres.PostgresException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets {@code postgresql.parameters} from the {@code config} key reach PostgreSQL's configuration files only once
 * PostgreSQL's own server program accepts them. A value written past the REST check (straight into the DCS, or by an
 * older node) would otherwise be rendered into postgresql.conf and every later start of every node would fail. A
 * refused parameter keeps the value this node last admitted, or is left out when it had none; it is reported once per
 * change of the parameters, not every cycle.
 */
final class ParameterGate {
    private static final Logger LOG = LoggerFactory.getLogger(ParameterGate.class);

    /** What PostgreSQL would refuse in a set of parameters ({@code PostgresNode::checkParameters}). */
    @FunctionalInterface
    interface Checker {
        List<Problem> check(Map<String, ?> parameters) throws PostgresException;
    }

    private final Checker checker;
    /** The parameters last judged; null before the first. */
    private SortedMap<String, Object> lastWanted;

    private SortedMap<String, Object> lastAdmitted = new TreeMap<>();

    ParameterGate(Checker checker) {
        this.checker = checker;
    }

    /** {@code wanted} less what PostgreSQL refuses; checked only when it differs from the last call's. */
    synchronized SortedMap<String, Object> admit(SortedMap<String, Object> wanted) {
        if (wanted.equals(lastWanted)) {
            return lastAdmitted;
        }
        List<Problem> problems = problems(wanted);
        SortedMap<String, Object> admitted = new TreeMap<>(wanted);
        for (Problem problem : problems) {
            Object previous = lastAdmitted.get(problem.name());
            boolean keep = previous != null && !Objects.equals(previous, wanted.get(problem.name()));
            if (problem.name().isEmpty()) {
                LOG.warn("config key: postgresql.parameters: {}", problem.message());
                continue;
            }
            if (keep) {
                admitted.put(problem.name(), previous);
            } else {
                admitted.remove(problem.name());
            }
            LOG.warn(
                    "config key: postgresql.parameters.{}: {}; {}",
                    problem.name(),
                    problem.message(),
                    keep ? "keeping " + previous : "not applied");
        }
        lastWanted = new TreeMap<>(wanted);
        lastAdmitted = admitted;
        return admitted;
    }

    private List<Problem> problems(Map<String, ?> wanted) {
        try {
            return checker.check(wanted);
        } catch (PostgresException e) {
            LOG.warn("config key: postgresql.parameters could not be checked by PostgreSQL: {}", e.getMessage());
            return ParameterCheck.inForm(wanted);
        }
    }
}
