package org.bellwether.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.junit.jupiter.api.Test;

class UniqueNameTest {
    private static final String N1_API = "http://10.0.0.1:8008/patroni";

    @Test
    void aLiveMemberWhoseApiAnswers_isAClash() {
        assertThat(UniqueName.clash("n1", withMember("n1"), url -> url.equals(N1_API)))
                .hasValueSatisfying(why -> assertThat(why)
                        .contains("already a node named 'n1' running")
                        .contains(N1_API));
    }

    @Test
    void aMemberKeyLeftByAnAgentThatIsGone_isNoClash() {
        assertThat(UniqueName.clash("n1", withMember("n1"), url -> false)).isEmpty();
    }

    @Test
    void anotherNameOrNoMemberKey_isNoClash() {
        assertThat(UniqueName.clash("n2", withMember("n1"), url -> true)).isEmpty();
        assertThat(UniqueName.clash("n1", ClusterView.empty(), url -> true)).isEmpty();
    }

    private static ClusterView withMember(String name) {
        return new ClusterView(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(Member.of(name, N1_API, "postgres://10.0.0.1:5432/postgres", "running", MemberRole.PRIMARY)),
                Optional.empty(),
                new TreeMap<>(),
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }
}
