package org.bellwether.agent;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.ha.Action;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.postgres.PostgresException;
import org.bellwether.postgres.PostgresNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PostgreSQL's configuration files in step with {@code postgresql.parameters} of the {@code config} key, on
 * every node, every cycle (Patroni's {@code reload_config}): a change is written and PostgreSQL reloaded; what needs
 * a restart then shows in pg_settings and is published as {@code pending_restart}. {@code POST /reload} also re-reads
 * the local configuration file first.
 */
public final class DynamicConfig {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicConfig.class);
    /** Operations that write the configuration files with the parameters in force when they start. */
    private static final Set<Action.Kind> WRITE_FILES = EnumSet.of(
            Action.Kind.BOOTSTRAP,
            Action.Kind.CLONE,
            Action.Kind.START,
            Action.Kind.DEMOTE,
            Action.Kind.RESTART,
            Action.Kind.REINITIALIZE);

    /** Re-reads the node's configuration file and hands its PostgreSQL settings to the PostgreSQL adapter. */
    @FunctionalInterface
    public interface LocalReload {
        void reread() throws Exception;
    }

    private final PostgresNode postgres;
    private final Operations operations;
    private final CallbackDispatch callbacks;
    private LocalReload localReload = () -> {};
    /** What the files were last written with; empty until this agent wrote them once. */
    private Optional<Written> applied = Optional.empty();

    /** The dynamic settings PostgreSQL's files are written from: parameters, and pg_hba lines. */
    private record Written(SortedMap<String, Object> parameters, List<String> pgHba) {
        Written {
            parameters = new TreeMap<>(parameters);
            pgHba = List.copyOf(pgHba);
        }
    }

    DynamicConfig(PostgresNode postgres, Operations operations, CallbackDispatch callbacks) {
        this.callbacks = callbacks;
        this.postgres = postgres;
        this.operations = operations;
    }

    void onLocalReload(LocalReload reload) {
        this.localReload = reload;
    }

    /**
     * After a cycle's plan ran: write and reload when the parameters or pg_hba lines changed and PostgreSQL runs
     * undisturbed.
     */
    void apply(SortedMap<String, Object> parameters, List<String> pgHba, LocalPostgres local, List<Action> plan) {
        Written wanted = new Written(parameters, pgHba);
        if (plan.stream().anyMatch(a -> WRITE_FILES.contains(a.kind()))) {
            applied = Optional.of(wanted);
            return;
        }
        if (!local.isRunning() || operations.isBusy() || applied.equals(Optional.of(wanted))) {
            return;
        }
        try {
            postgres.reload(parameters);
            if (applied.isPresent()) {
                callbacks.after(new Action.Reload(), local);
                LOG.info("postgresql.parameters or pg_hba changed in the DCS: configuration rewritten and reloaded");
            }
            applied = Optional.of(wanted);
        } catch (PostgresException e) {
            LOG.warn("could not apply postgresql.parameters or pg_hba from the DCS: {}", e.getMessage());
        }
    }

    /** The {@code RELOAD} action: the local file first, then the files PostgreSQL reads. */
    void reloadOnRequest(SortedMap<String, Object> parameters, List<String> pgHba) throws Exception {
        localReload.reread();
        postgres.reload(parameters);
        applied = Optional.of(new Written(parameters, pgHba));
    }
}
