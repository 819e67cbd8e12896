package org.bellwether.agent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.bellwether.core.KeyProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each DCS value that could not be used once per change of its key: a problem is new when its key, version or
 * sentence differs from the one last reported for that key. A key that reads well again is forgotten, so it is reported
 * again if it breaks again. The loop reads every cycle; without this, one broken key would log a line per cycle.
 */
final class KeyProblemLog {
    private static final Logger LOG = LoggerFactory.getLogger(KeyProblemLog.class);

    private final Map<String, KeyProblem> reported = new HashMap<>();
    private final Consumer<String> warn;

    KeyProblemLog() {
        this(LOG::warn);
    }

    KeyProblemLog(Consumer<String> warn) {
        this.warn = warn;
    }

    void report(List<KeyProblem> problems) {
        Set<String> keys = problems.stream().map(KeyProblem::key).collect(Collectors.toSet());
        reported.keySet().retainAll(keys);
        for (KeyProblem problem : problems) {
            if (!problem.equals(reported.get(problem.key()))) {
                reported.put(problem.key(), problem);
                warn.accept("DCS key " + problem.key() + " (version " + problem.version() + "): " + problem.problem());
            }
        }
    }
}
