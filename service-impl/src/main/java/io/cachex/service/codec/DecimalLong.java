package io.cachex.service.codec;

import java.nio.charset.StandardCharsets;

/**
 * The integer fast path: a long as plain decimal ASCII and back, without Strings, regexes or exceptions.
 * "Canonical" is exactly what {@link Long#toString(long)} produces: an optional '-', then "0" alone or digits
 * without a leading zero; no '+', no spaces, no "-0"; at most 20 characters and within the long range.
 */
final class DecimalLong {

  private static final byte[] MIN_VALUE = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);
  private static final long MUL_LIMIT = Long.MIN_VALUE / 10;

  private DecimalLong() {
  }

  static byte[] toAscii(long v) {
    if (v == Long.MIN_VALUE) {
      return MIN_VALUE.clone();
    }
    boolean negative = v < 0;
    long x = negative ? -v : v;
    int digits = 1;
    for (long t = x; t >= 10; t /= 10) {
      digits++;
    }
    byte[] out = new byte[digits + (negative ? 1 : 0)];
    int p = out.length;
    do {
      out[--p] = (byte) ('0' + (int) (x % 10));
      x /= 10;
    } while (x != 0);
    if (negative) {
      out[0] = '-';
    }
    return out;
  }

  /** The value of {@code b[off, off+len)} when it is a canonical decimal long, else {@code null}. */
  static Long parseCanonical(byte[] b, int off, int len) {
    if (len < 1 || len > 20) {
      return null;
    }
    int i = off;
    int end = off + len;
    boolean negative = b[i] == '-';
    if (negative && ++i == end) {
      return null;
    }
    if (b[i] == '0') {
      return !negative && len == 1 ? 0L : null; // "0" only; "-0", "007" are not canonical
    }
    long acc = 0; // accumulated negatively, so that Long.MIN_VALUE fits
    for (; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9 || acc < MUL_LIMIT) {
        return null;
      }
      acc *= 10;
      if (acc < Long.MIN_VALUE + d) {
        return null;
      }
      acc -= d;
    }
    if (negative) {
      return acc;
    }
    return acc == Long.MIN_VALUE ? null : -acc;
  }
}
