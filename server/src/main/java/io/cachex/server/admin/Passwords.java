package io.cachex.server.admin;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Password hashes of admin users: PBKDF2 with HMAC-SHA256 from the JDK, a random 16-byte salt, written as
 * {@code pbkdf2-sha256:<iterations>:<salt, base64>:<hash, base64>}. Compared in constant time.
 */
public final class Passwords {
  /** OWASP's recommendation for PBKDF2-HMAC-SHA256. */
  public static final int ITERATIONS = 600_000;
  private static final Pattern FORMAT = Pattern.compile("pbkdf2-sha256:([0-9]{1,9}):([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)");
  private static final SecureRandom RANDOM = new SecureRandom();

  private Passwords() {
  }

  public static String hash(char[] password) {
    return hash(password, ITERATIONS);
  }

  public static String hash(char[] password, int iterations) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder();
    return "pbkdf2-sha256:" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(derive(password, salt, iterations));
  }

  static boolean wellFormed(String hash) {
    Matcher m = FORMAT.matcher(hash);
    return m.matches() && Integer.parseInt(m.group(1)) >= 1;
  }

  /** Whether {@code password} has this hash (slow on purpose: run it off the event loop). */
  public static boolean verify(char[] password, String hash) {
    Matcher m = FORMAT.matcher(hash);
    if (!m.matches()) {
      return false;
    }
    byte[] salt = Base64.getDecoder().decode(m.group(2));
    byte[] expected = Base64.getDecoder().decode(m.group(3));
    return MessageDigest.isEqual(expected, derive(password, salt, Integer.parseInt(m.group(1))));
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
      try {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      } finally {
        spec.clearPassword();
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    }
  }
}
