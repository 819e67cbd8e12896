package org.bellwether.config;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * {@code restapi.ciphers}: the OpenSSL cipher string Patroni hands to Python's {@code SSLContext.set_ciphers} (e.g.
 * {@code ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES256-GCM-SHA384} or {@code HIGH:!aNULL}), applied to the JDK's suites
 * by OpenSSL's rules (see {@code man openssl-ciphers}): words joined by {@code :} (or {@code ,} or spaces), each an
 * OpenSSL suite name or an alias, {@code +} inside a word for "and"; a leading {@code !} removes for good, {@code -}
 * removes, {@code +} moves to the end, nothing appends; {@code @STRENGTH} sorts; a leading {@code DEFAULT} is
 * OpenSSL's default list. A word OpenSSL would not know is skipped, as OpenSSL does; names are case-sensitive.
 *
 * <p>As with OpenSSL, the string governs TLS 1.2 and older only: the JDK's TLS 1.3 suites stay enabled, as Python's
 * stay (TLS 1.3 suites are configured apart in OpenSSL, and Patroni does not). A string that selects none of the JDK's
 * suites is refused, as {@code set_ciphers} refuses it ("No cipher can be selected").
 */
public final class OpenSslCipherString {
    private static final String SIGNALLING_SUITE = "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";
    /** What OpenSSL's {@code DEFAULT} stands for. */
    private static final String DEFAULT = "ALL:!COMPLEMENTOFDEFAULT:!eNULL";

    private OpenSslCipherString() {}

    /**
     * The suites to enable in the JDK for {@code cipherString}: its own default TLS 1.3 suites, then those the string
     * selects among {@code supported}, in the string's order, then the renegotiation signal if the default has it.
     *
     * @throws IllegalArgumentException when the string selects none of the supported suites
     */
    public static List<String> enabledSuites(String cipherString, List<String> supported, List<String> defaults) {
        List<String> selected = select(cipherString, supported);
        if (selected.isEmpty()) {
            List<String> names = supported.stream()
                    .map(OpenSslCipherString::openSslName)
                    .flatMap(Optional::stream)
                    .toList();
            throw new IllegalArgumentException("'" + cipherString + "' selects none of the TLS 1.2 cipher suites this"
                    + " JDK supports: " + String.join(":", names));
        }
        List<String> enabled = new ArrayList<>();
        defaults.stream().filter(OpenSslCipherString::isTls13).forEach(enabled::add);
        enabled.addAll(selected);
        if (defaults.contains(SIGNALLING_SUITE)) {
            enabled.add(SIGNALLING_SUITE);
        }
        return enabled;
    }

    /** {@link #enabledSuites} for the suites of this JDK's TLS implementation. */
    public static List<String> enabledSuites(String cipherString) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            return enabledSuites(
                    cipherString,
                    Arrays.asList(context.getSupportedSSLParameters().getCipherSuites()),
                    Arrays.asList(context.getDefaultSSLParameters().getCipherSuites()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS implementation: " + e.getMessage(), e);
        }
    }

    /** OpenSSL's name for a JDK suite of TLS 1.2 or older, as the cipher string names it; empty for others. */
    public static Optional<String> openSslName(String javaSuite) {
        return OpenSslCipherSuite.of(javaSuite).map(OpenSslCipherSuite::openSslName);
    }

    /** The standard names of the suites among {@code supported} that {@code cipherString} selects, in its order. */
    static List<String> select(String cipherString, List<String> supported) {
        List<Entry> list = new ArrayList<>();
        for (String name : supported) {
            OpenSslCipherSuite.of(name).ifPresent(s -> list.add(new Entry(s)));
        }
        String rules = cipherString.trim();
        if (rules.startsWith("DEFAULT")) {
            apply(DEFAULT, list);
            rules = rules.substring("DEFAULT".length());
        }
        apply(rules, list);
        return list.stream().filter(e -> e.active).map(e -> e.suite.javaName()).toList();
    }

    /** One suite in OpenSSL's working list: the active ones are selected; one killed ({@code !}) leaves the list. */
    private static final class Entry {
        final OpenSslCipherSuite suite;
        boolean active;

        Entry(OpenSslCipherSuite suite) {
            this.suite = suite;
        }
    }

    private static void apply(String rules, List<Entry> list) {
        for (String rule : rules.split("[:, ]+")) {
            if (rule.isEmpty()) {
                continue;
            }
            if (rule.startsWith("@")) {
                special(rule, list);
                continue;
            }
            char op = rule.charAt(0);
            String words = "!-+".indexOf(op) >= 0 ? rule.substring(1) : rule;
            List<String> all = List.of(words.split("\\+"));
            if (words.isEmpty() || !all.stream().allMatch(w -> known(w, list))) {
                continue; // OpenSSL skips a rule with a word it does not know
            }
            List<Entry> matching = list.stream()
                    .filter(e -> all.stream().allMatch(e.suite::isSelectedBy))
                    .toList();
            switch (op) {
                case '!' -> list.removeAll(matching);
                case '-' -> {
                    // Removed suites go to the front, in order, so that adding them back later keeps their order.
                    List<Entry> removed =
                            matching.stream().filter(e -> e.active).toList();
                    removed.forEach(e -> e.active = false);
                    list.removeAll(removed);
                    list.addAll(0, removed);
                }
                case '+' -> {
                    List<Entry> moved = matching.stream().filter(e -> e.active).toList();
                    list.removeAll(moved);
                    list.addAll(moved);
                }
                default -> {
                    List<Entry> added = matching.stream().filter(e -> !e.active).toList();
                    added.forEach(e -> e.active = true);
                    list.removeAll(added);
                    list.addAll(added);
                }
            }
        }
    }

    private static void special(String rule, List<Entry> list) {
        if (rule.startsWith("@SECLEVEL=")) {
            return; // the JDK's own algorithm constraints stand in for OpenSSL's security level
        }
        if (!rule.equals("@STRENGTH")) {
            throw new IllegalArgumentException(
                    "unknown command '" + rule + "' (OpenSSL knows @STRENGTH and @SECLEVEL=n)");
        }
        // A stable sort: suites of equal strength keep their order.
        List<Entry> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparingInt((Entry e) -> e.suite.strengthBits()).reversed());
        list.clear();
        list.addAll(sorted);
    }

    /** Whether OpenSSL would know {@code word}: an alias, or the name of a suite (only this JDK's can be told). */
    private static boolean known(String word, List<Entry> list) {
        return OpenSslCipherSuite.isAlias(word)
                || list.stream().anyMatch(e -> e.suite.openSslName().equals(word));
    }

    /** TLS 1.3 suites have no key exchange in their names ({@code TLS_AES_128_GCM_SHA256}). */
    private static boolean isTls13(String javaName) {
        return javaName.startsWith("TLS_") && !javaName.contains("_WITH_") && !javaName.equals(SIGNALLING_SUITE);
    }
}
