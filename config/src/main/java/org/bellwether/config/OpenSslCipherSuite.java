package org.bellwether.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cipher suite of the JDK for TLS 1.2 and older as OpenSSL sees it: its OpenSSL name ({@code
 * ECDHE-RSA-AES256-GCM-SHA384} for {@code TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384}), the words of OpenSSL's cipher
 * strings that select it ({@code kECDHE}, {@code aRSA}, {@code AES256}, {@code AESGCM}, {@code HIGH}, {@code
 * TLSv1.2}, ...; see {@code man openssl-ciphers}) and its strength in bits, for {@code @STRENGTH}. All of it is read
 * from the standard name, so that the configuration can be checked without a TLS library.
 *
 * @param words alias words only; the OpenSSL name selects the suite too
 */
record OpenSslCipherSuite(String javaName, String openSslName, Set<String> words, int strengthBits) {
    private static final Pattern STANDARD_NAME =
            Pattern.compile("(?:TLS|SSL)_([A-Za-z_]+?)_WITH_([A-Z0-9_]+?)_(SHA|SHA256|SHA384|MD5)");

    /** How the key is agreed and the server authenticated, with OpenSSL's prefix and words for each. */
    private record KeyExchange(String prefix, Set<String> words, boolean elliptic) {}

    private static final Set<String> ECDHE = Set.of("kECDHE", "kEECDH", "ECDH");
    private static final Set<String> DHE = Set.of("kDHE", "kEDH", "DH");
    private static final Map<String, KeyExchange> KEY_EXCHANGES = Map.of(
            "RSA", new KeyExchange("", Set.of("kRSA", "RSA", "aRSA"), false),
            "ECDHE_ECDSA", new KeyExchange("ECDHE-ECDSA-", plus(ECDHE, "ECDHE", "EECDH", "aECDSA", "ECDSA"), true),
            "ECDHE_RSA", new KeyExchange("ECDHE-RSA-", plus(ECDHE, "ECDHE", "EECDH", "aRSA"), true),
            "ECDH_anon", new KeyExchange("AECDH-", plus(ECDHE, "AECDH", "aNULL"), true),
            "DHE_RSA", new KeyExchange("DHE-RSA-", plus(DHE, "DHE", "EDH", "aRSA"), false),
            "DHE_DSS", new KeyExchange("DHE-DSS-", plus(DHE, "DHE", "EDH", "aDSS", "DSS"), false),
            "DH_anon", new KeyExchange("ADH-", plus(DHE, "ADH", "aNULL"), false));

    /** A bulk cipher: OpenSSL's name for it, its words and strength; {@code aead} ciphers carry no MAC of their own. */
    private record Encryption(String name, Set<String> words, int bits, boolean aead) {}

    private static final Map<String, Encryption> ENCRYPTIONS = Map.of(
            "AES_128_GCM", new Encryption("AES128-GCM", Set.of("AES", "AES128", "AESGCM", "HIGH"), 128, true),
            "AES_256_GCM", new Encryption("AES256-GCM", Set.of("AES", "AES256", "AESGCM", "HIGH"), 256, true),
            "CHACHA20_POLY1305", new Encryption("CHACHA20-POLY1305", Set.of("CHACHA20", "HIGH"), 256, true),
            "AES_128_CBC", new Encryption("AES128", Set.of("AES", "AES128", "CBC", "HIGH"), 128, false),
            "AES_256_CBC", new Encryption("AES256", Set.of("AES", "AES256", "CBC", "HIGH"), 256, false),
            "3DES_EDE_CBC", new Encryption("DES-CBC3", Set.of("3DES", "CBC", "MEDIUM"), 112, false),
            "RC4_128", new Encryption("RC4", Set.of("RC4", "MEDIUM"), 128, false),
            "NULL", new Encryption("NULL", Set.of("eNULL", "NULL"), 0, false));

    private static final Map<String, Set<String>> MACS = Map.of(
            "SHA", Set.of("SHA1", "SHA"),
            "SHA256", Set.of("SHA256"),
            "SHA384", Set.of("SHA384"),
            "MD5", Set.of("MD5"));

    /**
     * Every alias word of OpenSSL 3 ({@code man openssl-ciphers}), those that select none of the JDK's suites
     * included: OpenSSL skips a rule with a word it does not know, and one that selects nothing is no such word.
     */
    private static final Set<String> ALIASES = Set.of(("ALL COMPLEMENTOFALL COMPLEMENTOFDEFAULT HIGH MEDIUM LOW eNULL"
                    + " NULL aNULL kRSA aRSA RSA kDHE kEDH DH DHE EDH ADH kECDHE kEECDH ECDH ECDHE EECDH AECDH aDSS DSS"
                    + " aECDSA ECDSA TLSv1.2 TLSv1.0 TLSv1 SSLv3 AES AES128 AES256 AESGCM AESCCM AESCCM8 ARIA ARIA128"
                    + " ARIA256 CAMELLIA CAMELLIA128 CAMELLIA256 CHACHA20 3DES DES RC4 RC2 IDEA SEED MD5 SHA1 SHA SHA256"
                    + " SHA384 CBC PSK kPSK aPSK kECDHEPSK kDHEPSK kRSAPSK SRP kSRP aSRP GOST94 GOST89MAC kGOST aGOST"
                    + " aGOST01")
            .split(" "));

    OpenSslCipherSuite {
        words = Set.copyOf(words);
    }

    /**
     * The suite named {@code javaName}, or empty for what OpenSSL's cipher strings do not govern: TLS 1.3 suites (set
     * apart in OpenSSL, as {@code ciphersuites}), signalling values such as {@code TLS_EMPTY_RENEGOTIATION_INFO_SCSV},
     * and suites OpenSSL 1.1 and later do not have (static ECDH, export, Kerberos, DES).
     */
    static Optional<OpenSslCipherSuite> of(String javaName) {
        Matcher m = STANDARD_NAME.matcher(javaName);
        if (!m.matches()) {
            return Optional.empty();
        }
        KeyExchange kx = KEY_EXCHANGES.get(m.group(1));
        Encryption enc = ENCRYPTIONS.get(m.group(2));
        String mac = m.group(3);
        if (kx == null || enc == null) {
            return Optional.empty();
        }
        Set<String> words = new TreeSet<>(kx.words());
        words.addAll(enc.words());
        String name;
        if (enc.aead()) {
            // GCM names keep the PRF's hash (AES128-GCM-SHA256); ChaCha20's does not (ECDHE-RSA-CHACHA20-POLY1305).
            name = enc.name().startsWith("CHACHA20") ? enc.name() : enc.name() + "-" + mac;
            words.add("TLSv1.2");
        } else {
            name = enc.name() + "-" + mac;
            words.addAll(MACS.get(mac));
            // The version a suite first appeared in, as OpenSSL's SSLv3 / TLSv1 / TLSv1.2 words count it.
            if (!mac.equals("SHA") && !mac.equals("MD5")) {
                words.add("TLSv1.2");
            } else if (kx.elliptic()) {
                words.addAll(Set.of("TLSv1", "TLSv1.0"));
            } else {
                words.add("SSLv3");
            }
        }
        groups(words);
        return Optional.of(new OpenSslCipherSuite(javaName, kx.prefix() + name, words, enc.bits()));
    }

    /** ALL, and what OpenSSL 3 leaves out of DEFAULT although ALL has it (anonymous, RC4 and DSS suites). */
    private static void groups(Set<String> words) {
        if (words.contains("eNULL")) {
            words.add("COMPLEMENTOFALL");
            return;
        }
        words.add("ALL");
        if (words.contains("aNULL") || words.contains("RC4") || words.contains("aDSS")) {
            words.add("COMPLEMENTOFDEFAULT");
        }
    }

    static boolean isAlias(String word) {
        return ALIASES.contains(word);
    }

    /** Whether this suite is selected by {@code word}: one of its alias words, or its OpenSSL name. */
    boolean isSelectedBy(String word) {
        return words.contains(word) || openSslName.equals(word);
    }

    private static Set<String> plus(Set<String> base, String... more) {
        Set<String> all = new TreeSet<>(base);
        all.addAll(Set.of(more));
        return all;
    }
}
