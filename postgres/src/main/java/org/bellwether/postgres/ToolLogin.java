package org.bellwether.postgres;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bellwether.config.Credentials;
import org.bellwether.postgres.ProcessRunner.Command;

/**
 * How one of PostgreSQL's programs (pg_basebackup, pg_rewind, a post_bootstrap script) logs in, as Patroni has it log
 * in: the user name with the role's TLS and GSS options ({@code sslmode}, {@code sslcert}...), the password through
 * the pgpass file and the {@code sslpassword} through the service file ({@link ServiceFile}), so that neither is on
 * a command line.
 */
record ToolLogin(Login login, Path pgpass, Path serviceFile) {
    /** The section of the service file that holds the sslpassword of {@code login}. */
    static String service(Login login) {
        return "bellwether_" + login.role();
    }

    /** The login's keywords; the caller adds where to connect and puts them in Patroni's order. */
    ConnInfo conninfo() {
        Credentials user = login.user();
        Map<String, String> p = new LinkedHashMap<>(user.connectionOptions());
        p.remove("sslpassword");
        p.put("user", user.username());
        if (user.password().isPresent()) {
            p.put("passfile", pgpass.toString());
        }
        if (usesService()) {
            p.put("service", service(login));
        }
        return new ConnInfo(p);
    }

    /** {@code command} with {@code PGSERVICEFILE} when the connection string names a service. */
    Command environment(Command command) {
        return usesService() ? command.withEnv("PGSERVICEFILE", serviceFile.toString()) : command;
    }

    private boolean usesService() {
        return login.user().connectionOptions().containsKey("sslpassword");
    }
}
