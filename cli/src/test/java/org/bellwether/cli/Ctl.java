package org.bellwether.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs {@code ctl} in-process against a {@link FakeStore}, with given standard input and environment. */
final class Ctl {
    record Result(int exit, String out, String err) {}

    final FakeStore store = new FakeStore("/service/demo/");
    final Map<String, FakeStore> others = new HashMap<>();
    final Map<String, String> environment = new HashMap<>();
    final Path configFile;
    String stdin = "";

    Ctl(Path dir, String configYaml) throws Exception {
        configFile = Files.writeString(dir.resolve("ctl.yml"), configYaml);
        environment.put("HOME", dir.toString());
    }

    Ctl(Path dir) throws Exception {
        this(dir, "scope: demo\netcd3:\n  hosts: 127.0.0.1:2379\n");
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Terminal terminal = new Terminal(
                new BufferedReader(new StringReader(stdin)),
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                environment,
                false);
        List<String> all = new ArrayList<>();
        if (!List.of(args).contains("-c")) {
            all.addAll(List.of("-c", configFile.toString()));
        }
        all.addAll(List.of(args));
        int exit = new picocli.CommandLine(new CtlCommand(
                        "9.9.9",
                        terminal,
                        (prefix, etcd, zk, timeout) -> prefix.equals("/service/demo/")
                                ? store
                                : others.computeIfAbsent(prefix, FakeStore::new)))
                .setOut(terminal.out())
                .setErr(terminal.err())
                .execute(all.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }

    /** A three-member cluster: n1 leads, n2 and n3 stream; their API is {@code api}. */
    Ctl threeMembers(String api) {
        store.put("initialize", "7301234567890123456")
                .put(
                        "config",
                        "{\"ttl\":30,\"loop_wait\":10,\"retry_timeout\":10,\"postgresql\":{\"use_pg_rewind\":true,"
                                + "\"parameters\":{\"max_connections\":100}}}")
                .put("leader", "n1")
                .put("status", "{\"optime\":67108864}")
                .put(
                        "members/n1",
                        "{\"conn_url\":\"postgres://127.0.0.1:5432/postgres\",\"api_url\":\"" + api
                                + "\",\"state\":\"running\",\"role\":\"primary\",\"version\":\"4.0.0\","
                                + "\"xlog_location\":67108864,\"timeline\":2}")
                .put(
                        "members/n2",
                        "{\"conn_url\":\"postgres://127.0.0.1:5433/postgres\",\"api_url\":\"" + api
                                + "\",\"state\":\"running\",\"role\":\"replica\",\"version\":\"4.0.0\","
                                + "\"xlog_location\":67108864,\"replication_state\":\"streaming\",\"timeline\":2,"
                                + "\"receive_lsn\":67108864,\"replay_lsn\":67108864}")
                .put(
                        "members/n3",
                        "{\"conn_url\":\"postgres://127.0.0.1:5434/postgres\",\"api_url\":\"" + api
                                + "\",\"state\":\"running\",\"role\":\"replica\",\"version\":\"4.0.0\","
                                + "\"xlog_location\":33554432,\"replication_state\":\"streaming\",\"timeline\":2,"
                                + "\"tags\":{\"nofailover\":true}}")
                .put("history", "[[1,50331808,\"no recovery target specified\",\"2024-05-01T10:00:00+00:00\",\"n1\"]]");
        return this;
    }
}
