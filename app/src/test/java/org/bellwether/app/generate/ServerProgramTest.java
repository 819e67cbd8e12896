package org.bellwether.app.generate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerProgramTest {
    @Test
    void versionOutput_asServerVersionNum() {
        assertThat(ServerProgram.parse("postgres (PostgreSQL) 15.13 (Debian 15.13-1.pgdg120+1)\n"))
                .hasValue(150000);
        assertThat(ServerProgram.parse("postgres (PostgreSQL) 17.0")).hasValue(170000);
        assertThat(ServerProgram.parse("postgres (PostgreSQL) 18beta1")).hasValue(180000);
        assertThat(ServerProgram.parse("postgres (PostgreSQL) 9.6.24")).hasValue(90600);
        assertThat(ServerProgram.parse("postgres: command not found")).isEmpty();
    }
}
