package org.bellwether.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code ctl.*}: how the command-line tool talks to the REST API of the members (TLS trust, client certificate,
 * credentials). Missing values fall back to the matching {@code restapi} ones, as in patronictl.
 *
 * @param insecure skip verification of the REST API's certificate
 */
public record CtlConfig(
        boolean insecure,
        Optional<Path> cacert,
        Optional<Path> certfile,
        Optional<Path> keyfile,
        Optional<String> keyfilePassword,
        Optional<Credentials> authentication) {

    public static final CtlConfig DEFAULTS = new CtlConfig(
            false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    @Override
    public String toString() {
        return "CtlConfig[insecure=" + insecure + ", cacert=" + cacert + ", certfile=" + certfile + ", keyfile="
                + keyfile + ", keyfilePassword=" + keyfilePassword.map(p -> "***") + ", authentication="
                + authentication + "]";
    }
}
