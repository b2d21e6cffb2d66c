package dev.tamperwatch.load;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Lower-case hex SHA-256 of UTF-8 text, reusing one digest; not thread-safe. */
final class Sha256 {

    private static final HexFormat HEX = HexFormat.of();

    private final MessageDigest digest;

    Sha256() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }

    String of(String text) {
        return HEX.formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
