package org.bellwether.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bellwether.cli.format.Output.Format;
import org.bellwether.cli.format.PyValues;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;

/** Choosing members as patronictl does: by role, by name, with its prompts and confirmations. */
final class Members {
    private Members() {}

    /** patronictl's {@code get_all_members}: the leader for leader roles, else every member (or all but the leader). */
    static List<Member> withRole(ClusterView view, CtlRole role) {
        if (role.isLeaderRole()) {
            Optional<Member> leader = view.leaderMember();
            if (leader.isEmpty()) {
                return List.of();
            }
            MemberRole published = leader.get().role();
            boolean standbyLeader = published == MemberRole.STANDBY_LEADER;
            boolean keep = role == CtlRole.LEADER
                    || role == CtlRole.STANDBY_LEADER && published != MemberRole.PRIMARY
                    || role == CtlRole.PRIMARY && !standbyLeader;
            return keep ? List.of(leader.get()) : List.of();
        }
        List<Member> out = new ArrayList<>();
        for (Member m : view.members()) {
            if (role == CtlRole.ANY || !view.isLeader(m.name())) {
                out.add(m);
            }
        }
        return out;
    }

    /** patronictl's {@code get_any_member}: by name (any role), else the first with the role (the leader by default). */
    static Optional<Member> any(ClusterView view, Optional<CtlRole> role, Optional<String> name) throws CtlException {
        if (name.isPresent() && role.isPresent()) {
            throw new CtlException("--role and --member are mutually exclusive options");
        }
        CtlRole r = name.isPresent() ? CtlRole.ANY : role.orElse(CtlRole.LEADER);
        return withRole(view, r).stream()
                .filter(m -> name.isEmpty() || m.name().equals(name.get()))
                .findFirst();
    }

    /** Members with an API address, the leader first: who to ask when any member will do. */
    static List<Member> leaderFirst(ClusterView view) {
        List<Member> out = new ArrayList<>();
        view.leaderMember().filter(m -> m.apiUrl().isPresent()).ifPresent(out::add);
        for (Member m : view.members()) {
            if (m.apiUrl().isPresent() && !out.contains(m)) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * patronictl's {@code get_members}: shows the cluster, narrows {@code names} to the role, asks which member when
     * none is named (reinitialize always asks), and asks to confirm unless {@code force}.
     */
    static List<Member> choose(
            CtlSubcommand command,
            ClusterView view,
            String cluster,
            List<String> names,
            CtlRole role,
            boolean force,
            String action,
            boolean askConfirmation)
            throws CtlException {
        List<Member> members = withRole(view, role);
        Set<String> candidates = new LinkedHashSet<>();
        members.forEach(m -> candidates.add(m.name()));
        if (names.isEmpty() && candidates.isEmpty()) {
            throw new CtlException(cluster + " cluster doesn't have any members");
        }
        command.terminal.print(MemberTable.render(view, cluster, false, Format.PRETTY));
        List<String> chosen = new ArrayList<>();
        if (!names.isEmpty()) {
            names.stream().filter(candidates::contains).distinct().forEach(chosen::add);
            if (chosen.isEmpty()) {
                throw new CtlException("No " + role + " among provided members");
            }
        } else if (!action.equals("reinitialize")) {
            chosen.addAll(candidates);
        }
        if (chosen.isEmpty() && !force) {
            chosen.add(command.terminal.prompt(
                    "Which member do you want to " + action + " [" + String.join(", ", candidates) + "]?",
                    Optional.of("")));
        }
        for (String name : chosen) {
            if (!candidates.contains(name)) {
                throw new CtlException(name + " is not a member of cluster");
            }
        }
        List<Member> out =
                members.stream().filter(m -> chosen.contains(m.name())).toList();
        if (askConfirmation) {
            confirm(command.terminal, out, force, action, Optional.empty(), false);
        }
        return out;
    }

    /** patronictl's {@code confirm_members_action}. */
    static void confirm(
            Terminal terminal,
            List<Member> members,
            boolean force,
            String action,
            Optional<String> scheduledAt,
            boolean pending)
            throws CtlException {
        if (force) {
            return;
        }
        String names = String.join(", ", members.stream().map(Member::name).toList());
        if (scheduledAt.isPresent()) {
            boolean yes = pending
                    ? terminal.confirm("The nodes needing a restart will be identified at the scheduled time, and"
                            + " might be different from the ones showing pending restart right now. Is this fine?")
                    : terminal.confirm("Are you sure you want to schedule " + action + " of members " + names + " at "
                            + scheduledAt.get() + "?");
            if (!yes) {
                throw new CtlException("Aborted scheduled " + action);
            }
        } else if (!terminal.confirm("Are you sure you want to " + action + " members " + names + "?")) {
            throw new CtlException("Aborted " + action);
        }
    }

    /** Python's {@code str(list)} of names, as patronictl prints candidates: {@code ['n2', 'n3']}. */
    static String pythonList(List<String> names) {
        return PyValues.str(names);
    }
}
