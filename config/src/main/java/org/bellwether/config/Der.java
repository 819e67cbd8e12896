package org.bellwether.config;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * The little DER (ASN.1) that turning the traditional key formats into PKCS#8 takes: reading the elements of a
 * sequence and writing definite-length elements. Not a general parser: no indefinite lengths, tags of one byte.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0]}, constructed: the first context-specific field of a structure. */
    static final int CONTEXT_0 = 0xA0;

    private Der() {}

    /** One element: its tag, and its whole encoding including tag and length. */
    record Element(int tag, byte[] encoded, int contentOffset) {
        byte[] content() {
            byte[] out = new byte[encoded.length - contentOffset];
            System.arraycopy(encoded, contentOffset, out, 0, out.length);
            return out;
        }
    }

    /** The elements inside the SEQUENCE that {@code der} is. */
    static List<Element> sequence(byte[] der) throws GeneralSecurityException {
        Element outer = element(der, 0);
        if (outer.tag() != SEQUENCE) {
            throw new GeneralSecurityException("expected a DER sequence");
        }
        byte[] content = outer.content();
        List<Element> out = new ArrayList<>();
        for (int at = 0; at < content.length; at += out.get(out.size() - 1).encoded().length) {
            out.add(element(content, at));
        }
        return out;
    }

    private static Element element(byte[] der, int at) throws GeneralSecurityException {
        if (at + 2 > der.length) {
            throw new GeneralSecurityException("truncated DER");
        }
        int tag = der[at] & 0xFF;
        int first = der[at + 1] & 0xFF;
        int headerLength = 2;
        int length = first;
        if (first >= 0x80) {
            int bytes = first & 0x7F;
            if (bytes == 0 || bytes > 3 || at + 2 + bytes > der.length) {
                throw new GeneralSecurityException("unsupported DER length");
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[at + 2 + i] & 0xFF);
            }
            headerLength += bytes;
        }
        if (at + headerLength + length > der.length) {
            throw new GeneralSecurityException("truncated DER");
        }
        byte[] encoded = new byte[headerLength + length];
        System.arraycopy(der, at, encoded, 0, encoded.length);
        return new Element(tag, encoded, headerLength);
    }

    /** An element with {@code tag} around {@code parts}, one after the other. */
    static byte[] encode(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        int n = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}
