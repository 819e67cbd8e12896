package org.bellwether.config;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code bootstrap.*}: what the first node writes to the {@code config} key ({@code dcs}), how it runs initdb
 * ({@code initdb}: plain flags like {@code data-checksums} or single-key maps like {@code encoding: UTF8}, rendered
 * here as {@code --data-checksums}, {@code --encoding=UTF8}), and the pg_hba lines of the new cluster.
 *
 * @param dcs kept as written, to be stored as the cluster's dynamic configuration
 * @param method {@code initdb} or the name of a custom bootstrap method; empty means initdb
 * @param methods custom bootstrap method sections ({@code bootstrap.<name>} with a {@code command}), by name, as
 *     written
 */
public record BootstrapConfig(
        SortedMap<String, Object> dcs,
        List<String> initdbArguments,
        List<String> pgHba,
        Optional<String> postBootstrap,
        Optional<String> method,
        SortedMap<String, SortedMap<String, Object>> methods) {

    public static final BootstrapConfig EMPTY =
            new BootstrapConfig(new TreeMap<>(), List.of(), List.of(), Optional.empty());

    public BootstrapConfig {
        dcs = Collections.unmodifiableSortedMap(new TreeMap<>(dcs));
        initdbArguments = List.copyOf(initdbArguments);
        pgHba = List.copyOf(pgHba);
        methods = Collections.unmodifiableSortedMap(new TreeMap<>(methods));
    }

    public BootstrapConfig(
            SortedMap<String, Object> dcs,
            List<String> initdbArguments,
            List<String> pgHba,
            Optional<String> postBootstrap) {
        this(dcs, initdbArguments, pgHba, postBootstrap, Optional.empty(), new TreeMap<>());
    }

    /** The custom bootstrap method's section, when a method other than initdb is chosen. */
    public Optional<SortedMap<String, Object>> customMethod() {
        return method.filter(m -> !m.equals("initdb")).map(methods::get);
    }
}
