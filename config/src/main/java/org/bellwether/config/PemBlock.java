package org.bellwether.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code -----BEGIN type-----} ... {@code -----END type-----} block of a PEM file, with the RFC 1421 headers
 * OpenSSL writes before the Base64 of a key it encrypted the traditional way ({@code Proc-Type: 4,ENCRYPTED},
 * {@code DEK-Info: AES-256-CBC,<iv>}).
 */
record PemBlock(String type, Map<String, String> headers, byte[] der) {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n?((?:[A-Za-z-]+:[^\\n]*\\n)*)([A-Za-z0-9+/=\\s]+)"
                    + "-----END \\1-----");
    private static final Pattern HEADER = Pattern.compile("([A-Za-z-]+):\\s*([^\\r\\n]*)");

    PemBlock {
        headers = Map.copyOf(headers);
    }

    /** Every block of {@code file}, in order; text outside blocks (comments, {@code openssl x509 -text}) is skipped. */
    static List<PemBlock> read(Path file) throws GeneralSecurityException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<PemBlock> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            Map<String, String> headers = new LinkedHashMap<>();
            Matcher h = HEADER.matcher(m.group(2));
            while (h.find()) {
                headers.put(h.group(1), h.group(2).trim());
            }
            try {
                out.add(new PemBlock(
                        m.group(1), headers, Base64.getMimeDecoder().decode(m.group(3))));
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException(file + ": the " + m.group(1) + " block is not valid Base64", e);
            }
        }
        return out;
    }

    /** {@code DEK-Info} of a block encrypted the traditional way, empty for one that is not. */
    Optional<String> dekInfo() {
        boolean encrypted = headers.getOrDefault("Proc-Type", "").endsWith("ENCRYPTED");
        return encrypted ? Optional.ofNullable(headers.get("DEK-Info")) : Optional.empty();
    }
}
