package io.cachex.servers;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Percent-encoding for the user-info part of redis:// URIs. */
final class Uris {

  private Uris() {
  }

  static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
      }
    }
    return out.toString();
  }

  /** [user, password] from the URI's user info (either may be null). */
  static String[] credentials(URI uri) {
    String info = uri.getRawUserInfo();
    if (info == null || info.isEmpty()) {
      return new String[] {null, null};
    }
    int colon = info.indexOf(':');
    if (colon < 0) {
      return new String[] {null, decode(info)};   // redis://password@host, as some clients accept
    }
    String user = info.substring(0, colon);
    return new String[] {user.isEmpty() ? null : decode(user), decode(info.substring(colon + 1))};
  }

  private static String decode(String value) {
    return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
