package org.bellwether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenSSL's cipher-string rules over a fixed list: the TLS suites OpenJDK 17 supports, in its order. */
class OpenSslCipherStringTest {
    static final List<String> TLS13 = List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256");
    static final List<String> JDK17 = List.of(
            "TLS_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_RSA_WITH_AES_128_CBC_SHA",
            "SSL_RSA_WITH_3DES_EDE_CBC_SHA",
            "TLS_DH_anon_WITH_AES_128_GCM_SHA256",
            "TLS_ECDH_anon_WITH_AES_256_CBC_SHA",
            "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");

    private static List<String> select(String cipherString) {
        return OpenSslCipherString.select(cipherString, JDK17);
    }

    @Test
    void suiteNames_areOpenSslsAndTheirOrderIsKept() {
        assertThat(select("ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305"))
                .containsExactly(
                        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                        "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
                        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        assertThat(select("AES128-SHA,DES-CBC3-SHA ADH-AES128-GCM-SHA256"))
                .containsExactly(
                        "TLS_RSA_WITH_AES_128_CBC_SHA",
                        "SSL_RSA_WITH_3DES_EDE_CBC_SHA",
                        "TLS_DH_anon_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void patronisDocumentedExample_selectsItsGcmSuites_andSkipsWordsThatNameNoCipher() {
        assertThat(select("ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256"
                        + ":DHE-RSA-AES128-GCM-SHA256:!SSLv1:!SSLv2:!SSLv3:!TLSv1:!TLSv1.1"))
                .containsExactly(
                        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                        "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                        "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void highWithoutAnonymous_dropsAnonymousAnd3des() {
        assertThat(select("HIGH:!aNULL"))
                .doesNotContain(
                        "TLS_DH_anon_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDH_anon_WITH_AES_256_CBC_SHA",
                        "SSL_RSA_WITH_3DES_EDE_CBC_SHA")
                .contains("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_CBC_SHA")
                // Static ECDH is gone from OpenSSL 1.1 on: no OpenSSL string can select it.
                .doesNotContain("TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA");
    }

    @Test
    void andOfWords_selectsWhatHasAll() {
        assertThat(select("kEECDH+aRSA+AES256"))
                .containsExactly("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA");
        assertThat(select("ECDHE+AESGCM"))
                .containsExactly(
                        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void macAndVersionWords_followOpenSsl_aeadSuitesHaveNoMac() {
        assertThat(select("SHA256"))
                .containsExactly(
                        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                        "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
                        "TLS_RSA_WITH_AES_128_CBC_SHA256");
        assertThat(select("TLSv1"))
                .containsExactly(
                        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                        "TLS_ECDH_anon_WITH_AES_256_CBC_SHA");
        assertThat(select("SSLv3"))
                .containsExactly(
                        "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
                        "TLS_RSA_WITH_AES_128_CBC_SHA",
                        "SSL_RSA_WITH_3DES_EDE_CBC_SHA");
    }

    @Test
    void killedSuites_neverComeBack_removedOnesMay() {
        assertThat(select("ECDHE-RSA-AES128-GCM-SHA256:!AESGCM:ECDHE-RSA-AES128-GCM-SHA256"))
                .isEmpty();
        assertThat(select("ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:-AESGCM:ECDHE-RSA-AES128-GCM-SHA256"))
                .containsExactly("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void plusMovesToTheEnd_andStrengthSortsByKeyLength() {
        assertThat(select("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:+AES128"))
                .containsExactly("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(select("AES128-SHA:DES-CBC3-SHA:AES256-GCM-SHA384:@STRENGTH"))
                .containsExactly(
                        "TLS_RSA_WITH_AES_256_GCM_SHA384",
                        "TLS_RSA_WITH_AES_128_CBC_SHA",
                        "SSL_RSA_WITH_3DES_EDE_CBC_SHA");
        assertThat(select("AES128-SHA:@SECLEVEL=2")).containsExactly("TLS_RSA_WITH_AES_128_CBC_SHA");
    }

    @Test
    void default_isAllButAnonymousDssAndRc4_andOnlyAsTheFirstWord() {
        assertThat(select("DEFAULT:!RSA"))
                .contains("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA")
                .doesNotContain(
                        "TLS_RSA_WITH_AES_128_CBC_SHA",
                        "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384",
                        "TLS_DH_anon_WITH_AES_128_GCM_SHA256");
        assertThat(select("AES128-SHA:DEFAULT")).containsExactly("TLS_RSA_WITH_AES_128_CBC_SHA");
    }

    @Test
    void enabledSuites_keepTheJdksTls13Suites_andTheRenegotiationSignal() {
        assertThat(OpenSslCipherString.enabledSuites(
                        "ECDHE-ECDSA-AES128-GCM-SHA256",
                        JDK17,
                        List.of(
                                "TLS_AES_256_GCM_SHA384",
                                "TLS_AES_128_GCM_SHA256",
                                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                                "TLS_EMPTY_RENEGOTIATION_INFO_SCSV")))
                .containsExactly(
                        "TLS_AES_256_GCM_SHA384",
                        "TLS_AES_128_GCM_SHA256",
                        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                        "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
    }

    @ParameterizedTest
    @ValueSource(strings = {"high", "ecdhe-rsa-aes256-gcm-sha384", "TLS_AES_256_GCM_SHA384", "CAMELLIA", "SSLv2", ""})
    void aStringThatSelectsNothing_isRefused_namingWhatTheJdkHas(String cipherString) {
        assertThatThrownBy(() -> OpenSslCipherString.enabledSuites(cipherString, JDK17, TLS13))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("selects none of the TLS 1.2 cipher suites this JDK supports")
                .hasMessageContaining("ECDHE-RSA-AES256-GCM-SHA384");
    }

    @Test
    void anUnknownCommand_isRefused() {
        assertThatThrownBy(() -> select("HIGH:@SPEED"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("@SPEED");
    }

    @Test
    void theRunningJdk_hasSuitesForCommonStrings() {
        assertThat(OpenSslCipherString.enabledSuites("HIGH:!aNULL")).contains("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
        assertThat(OpenSslCipherSuite.of("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"))
                .map(OpenSslCipherSuite::openSslName)
                .isEqualTo(Optional.of("ECDHE-ECDSA-CHACHA20-POLY1305"));
    }
}
