package org.bellwether.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PatroniBoolTest {
    @Test
    void readsWhatPatronisParseBoolReads() {
        for (Object yes : List.of(true, "on", "ON", "true", "True", "yes", "YES", "1", 1, 1L)) {
            assertThat(PatroniBool.parse(yes)).as("%s", yes).contains(true);
        }
        for (Object no : List.of(false, "off", "Off", "false", "FALSE", "no", "No", "0", 0, 0L)) {
            assertThat(PatroniBool.parse(no)).as("%s", no).contains(false);
        }
        for (Object neither : new Object[] {null, "", " on", "y", "2", 2, 1.0, "maybe", List.of(), Map.of()}) {
            assertThat(PatroniBool.parse(neither)).as("%s", neither).isEmpty();
            assertThat(PatroniBool.isTrue(neither)).isFalse();
        }
    }

    @Test
    void tagsAndSynchronousMode_readBooleansTheSameWay() {
        assertThat(Tags.isTrue("1")).isTrue();
        assertThat(Tags.isTrue(1)).isTrue();
        assertThat(Tags.isTrue("false")).isFalse();
        assertThat(SynchronousMode.fromWire("1")).isEqualTo(SynchronousMode.ON);
        assertThat(SynchronousMode.fromWire("quorum")).isEqualTo(SynchronousMode.QUORUM);
        assertThat(SynchronousMode.fromWire("maybe")).isEqualTo(SynchronousMode.OFF);
        assertThat(SynchronousMode.parse("maybe")).isEmpty();
    }
}
