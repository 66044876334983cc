package io.cachex.service.codec;

import java.nio.charset.StandardCharsets;

/**
 * The commonest cached value, a JSON string of printable ASCII with nothing to escape, written and
 * read without Jackson: the bytes are exactly the ones Jackson produces ({@code "} + text + {@code "}),
 * at a fraction of the cost per call. Anything else (escapes, control or non-ASCII characters) goes
 * through Jackson as before.
 */
final class PlainJsonString {
  private PlainJsonString() {
  }

  private static boolean plain(int c) {
    return c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
  }

  /** True when {@code s} can be written without any escape. */
  static boolean fits(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (!plain(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static byte[] write(String s) {
    int n = s.length();
    byte[] out = new byte[n + 2];
    out[0] = '"';
    for (int i = 0; i < n; i++) {
      out[i + 1] = (byte) s.charAt(i);
    }
    out[n + 1] = '"';
    return out;
  }

  /** True when the bytes are one quoted JSON string of plain characters (no escapes). */
  static boolean is(byte[] b, int off, int len) {
    if (len < 2 || b[off] != '"' || b[off + len - 1] != '"') {
      return false;
    }
    for (int i = off + 1, end = off + len - 1; i < end; i++) {
      if (!plain(b[i])) {
        return false;
      }
    }
    return true;
  }

  static String read(byte[] b, int off, int len) {
    return new String(b, off + 1, len - 2, StandardCharsets.US_ASCII);
  }
}
