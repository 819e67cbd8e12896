package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.bellwether.core.HostPort;
import org.bellwether.core.MemberRole;
import org.bellwether.core.ha.Action.StopMode;
import org.junit.jupiter.api.Test;

class CallbacksTest {
    private static final LocalPostgres PRIMARY = Fixtures.primary(100, 1);
    private static final LocalPostgres REPLICA = Fixtures.replica(100, Optional.of(HostPort.parse("127.0.0.1:5432")));
    private static final LocalPostgres STOPPED = Fixtures.stopped("shut down");

    /** The scripts' argument lines, as Patroni would pass them for scope {@code demo}. */
    private static List<String> after(Action action, LocalPostgres before) {
        return after(action, before, Optional.empty());
    }

    private static List<String> after(Action action, LocalPostgres before, Optional<MemberRole> lastRole) {
        return Callbacks.after(action, before, lastRole).stream()
                .map(c -> String.join(" ", c.arguments("demo")))
                .toList();
    }

    @Test
    void start_callsOnStartWithTheRoleItStartedIn() {
        assertThat(after(new Action.Start(true, Optional.empty()), STOPPED)).containsExactly("on_start replica demo");
        assertThat(after(new Action.Start(false, Optional.empty()), STOPPED)).containsExactly("on_start primary demo");
        assertThat(after(new Action.Bootstrap(), Fixtures.stopped("shut down")))
                .containsExactly("on_start primary demo");
    }

    @Test
    void startInTheRoleOfTheLastCall_isAStart() {
        assertThat(after(new Action.Start(true, Optional.empty()), STOPPED, Optional.of(MemberRole.REPLICA)))
                .containsExactly("on_start replica demo");
        assertThat(after(new Action.Start(false, Optional.empty()), STOPPED, Optional.of(MemberRole.PRIMARY)))
                .as("a crashed primary restarted by its leader")
                .containsExactly("on_start primary demo");
    }

    @Test
    void formerPrimaryStartedAsReplica_isARoleChange() {
        assertThat(after(new Action.Start(true, Optional.empty()), STOPPED, Optional.of(MemberRole.PRIMARY)))
                .containsExactly("on_role_change replica demo");
    }

    @Test
    void promote_callsOnRoleChangeAsPrimaryInsteadOfStopAndStart() {
        assertThat(after(new Action.Promote(), REPLICA)).containsExactly("on_role_change primary demo");
    }

    @Test
    void demote_callsOnStopAsPrimaryThenOnRoleChangeAsReplica() {
        assertThat(after(new Action.Demote(StopMode.FAST, Optional.empty()), PRIMARY))
                .containsExactly("on_stop primary demo", "on_role_change replica demo");
    }

    @Test
    void demoteOfAServerThatWasAlreadyDown_callsOnlyOnRoleChange() {
        assertThat(after(new Action.Demote(StopMode.IMMEDIATE, Optional.empty()), STOPPED))
                .containsExactly("on_role_change replica demo");
    }

    @Test
    void restart_callsOnRestartOnlyNotStopAndStart() {
        assertThat(after(new Action.Restart(true, Optional.empty(), false), REPLICA))
                .containsExactly("on_restart replica demo");
        assertThat(after(new Action.Restart(false, Optional.empty(), false), PRIMARY))
                .containsExactly("on_restart primary demo");
    }

    @Test
    void stop_callsOnStopWithTheRoleItHadAndNothingWhenItWasNotRunning() {
        assertThat(after(new Action.Stop(StopMode.FAST), REPLICA)).containsExactly("on_stop replica demo");
        assertThat(after(new Action.Stop(StopMode.FAST), PRIMARY)).containsExactly("on_stop primary demo");
        assertThat(after(new Action.Stop(StopMode.FAST), STOPPED)).isEmpty();
    }

    @Test
    void reload_callsOnReloadWithTheCurrentRole() {
        assertThat(after(new Action.Reload(), PRIMARY)).containsExactly("on_reload primary demo");
        assertThat(after(new Action.Reload(), REPLICA)).containsExactly("on_reload replica demo");
    }

    @Test
    void dcsOnlyActions_callNothing() {
        assertThat(after(new Action.RenewLeaderLock(), PRIMARY)).isEmpty();
        assertThat(after(new Action.Checkpoint(), PRIMARY)).isEmpty();
        assertThat(after(new Action.CrashRecovery(), STOPPED)).isEmpty();
    }

    @Test
    void agentFindingPostgresRunning_callsOnStartOnceInItsCurrentRole() {
        assertThat(Callbacks.onAgentStart(REPLICA, false, false))
                .map(c -> String.join(" ", c.arguments("demo")))
                .contains("on_start replica demo");
        assertThat(Callbacks.onAgentStart(PRIMARY, false, false))
                .map(c -> c.role().wire())
                .contains("primary");
        assertThat(Callbacks.onAgentStart(REPLICA, true, false))
                .as("already called")
                .isEmpty();
        assertThat(Callbacks.onAgentStart(REPLICA, false, true))
                .as("operation running")
                .isEmpty();
        assertThat(Callbacks.onAgentStart(STOPPED, false, false))
                .as("not running")
                .isEmpty();
    }

    @Test
    void onlyOnReload_leavesTheAgentStartCallbackDue() {
        assertThat(Callbacks.marksStarted(new Callbacks.Call(Callbacks.Event.ON_RELOAD, MemberRole.REPLICA)))
                .isFalse();
        assertThat(Callbacks.marksStarted(new Callbacks.Call(Callbacks.Event.ON_STOP, MemberRole.REPLICA)))
                .isTrue();
    }
}
