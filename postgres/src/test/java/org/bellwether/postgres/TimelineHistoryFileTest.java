package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Timeline;
import org.junit.jupiter.api.Test;

class TimelineHistoryFileTest {
    @Test
    void historyFile_isParsedLineByLineSkippingCommentsAndBadLines() {
        String content = "1\t0/3000060\tno recovery target specified\n"
                + "# a comment\n"
                + "\n"
                + "2\tnot-an-lsn\tbroken\n"
                + "3\t1/A0\tbefore 2026-01-01 00:00:00+00\n";
        assertThat(TimelineHistoryFile.parse(content))
                .containsExactly(
                        new HistoryEntry(
                                Timeline.FIRST,
                                Lsn.parse("0/3000060"),
                                "no recovery target specified",
                                Optional.empty(),
                                Optional.empty()),
                        new HistoryEntry(
                                new Timeline(3),
                                Lsn.parse("1/A0"),
                                "before 2026-01-01 00:00:00+00",
                                Optional.empty(),
                                Optional.empty()));
    }

    @Test
    void fileName_isTheTimelineInEightHexDigits() {
        assertThat(TimelineHistoryFile.fileName(new Timeline(26))).isEqualTo("0000001A.history");
    }
}
