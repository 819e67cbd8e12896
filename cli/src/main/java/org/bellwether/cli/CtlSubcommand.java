package org.bellwether.cli;

import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ParentCommand;

/**
 * What every subcommand shares: the session of the global options, and the rule that a failure is one sentence on
 * standard error ({@code Error: ...}) with exit code 1; an unexpected exception is one line too, its trace at debug.
 */
abstract class CtlSubcommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(CtlSubcommand.class);

    @ParentCommand
    CtlCommand ctl;

    Session session;
    Terminal terminal;

    @Override
    public final Integer call() {
        terminal = ctl.terminal();
        try (Session s = ctl.openSession()) {
            session = s;
            return run();
        } catch (CtlException e) {
            LOG.debug("ctl command failed", e);
            fail(e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            LOG.debug("ctl command failed unexpectedly", e);
            fail("unexpected failure: " + (e.getMessage() == null ? e.getClass().getName() : e.getMessage()));
            return 1;
        }
    }

    /** Runs the command; returns the exit code (0, or 1 when some of the work failed and was reported). */
    abstract int run() throws CtlException;

    void fail(String message) {
        terminal.err().println("Error: " + message.lines().findFirst().orElse(message));
        terminal.err().flush();
    }
}
