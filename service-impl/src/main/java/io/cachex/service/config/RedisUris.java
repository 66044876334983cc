package io.cachex.service.config;

import io.cachex.api.config.ConfigException;
import io.cachex.api.config.ConfigSection;

import io.vertx.core.json.JsonArray;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Redis connection strings: checked when the configuration is read, masked wherever they are printed. */
public final class RedisUris {
  /**
   * The user-info part of any URI (a mistyped scheme must not reveal a password either): up to the
   * last {@code @} before a space or a quote, since a password may hold {@code @ , / : ]}. In a list
   * written without spaces this may hide a host too; hiding too much is the safe side.
   */
  private static final Pattern CREDENTIALS = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^\\s\"'<>]*@");
  /** Secrets read from the configuration, masked wherever they appear (an error text may quote them without their URI). */
  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
  /** Shorter secrets are not searched for in text, where they would mask ordinary words; the URI rule still hides them. */
  private static final int MIN_SECRET_LENGTH = 4;
  private static final List<String> SCHEMES = List.of("redis", "rediss", "unix");

  private RedisUris() {
  }

  /** Reads a list of endpoints and refuses one that is not {@code redis[s]://[user:password@]host:port[/db]}. */
  static List<String> check(ConfigSection redis, String option) {
    List<String> endpoints = redis.strings(option, "none");
    endpoints.forEach(RedisUris::rememberCredentials);
    for (int i = 0; i < endpoints.size(); i++) {
      String problem = problem(endpoints.get(i));
      if (problem != null) {
        throw new ConfigException("config option '" + redis.pathOf(option) + "' has an invalid Redis URI '"
            + mask(endpoints.get(i)) + "': " + problem + " (expected redis://[user:password@]host:port[/db])");
      }
    }
    return endpoints;
  }

  /** What is wrong with {@code uri}, or null when it is usable. */
  static String problem(String uri) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      return "it is not a URI";
    }
    if (parsed.getScheme() == null || !SCHEMES.contains(parsed.getScheme())) {
      return "the scheme must be redis, rediss or unix";
    }
    if (parsed.getScheme().equals("unix")) {
      return parsed.getPath() == null || parsed.getPath().isEmpty() ? "it names no socket path" : null;
    }
    if (parsed.getHost() == null) {
      return parsed.getRawAuthority() != null && parsed.getRawAuthority().matches(".*:[^0-9]*$|.*:.*[^0-9].*")
          ? "the port is not a number" : "it names no host";
    }
    String db = parsed.getPath();
    if (db != null && !db.isEmpty() && !db.matches("/\\d*")) {
      return "the path must be a database number";
    }
    return null;
  }

  /** Remembers the user-info of {@code uri} (as written, decoded, and as JSON would escape it) as secrets. */
  static void rememberCredentials(String uri) {
    int scheme = uri.indexOf("://");
    int at = uri.lastIndexOf('@');
    if (scheme < 0 || at < scheme) {
      return;
    }
    String userInfo = uri.substring(scheme + 3, at);
    rememberSecret(userInfo);
    int colon = userInfo.indexOf(':');
    if (colon >= 0) {
      rememberSecret(userInfo.substring(colon + 1));
    }
  }

  /** Remembers a secret (a password) to mask wherever it appears, in the spellings it may be printed in. */
  public static void rememberSecret(String secret) {
    if (secret == null) {
      return;
    }
    List<String> spellings = new ArrayList<>(List.of(secret, new JsonArray().add(secret).encode().replaceAll("^\\[\"|\"]$", "")));
    try {
      spellings.add(URLDecoder.decode(secret, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException notEncoded) {
      // not percent-encoded: printed as written
    }
    spellings.stream().filter(s -> s.length() >= MIN_SECRET_LENGTH).forEach(SECRETS::add);
  }

  /**
   * {@code redis://user:pw@host} becomes {@code redis://***@host} (any scheme), and any remembered
   * secret becomes {@code ***}, so no password reaches a log, an error or a health page.
   */
  public static String mask(String text) {
    String masked = CREDENTIALS.matcher(text).replaceAll("$1***@");
    for (String secret : SECRETS) {
      masked = masked.replace(secret, "***");
    }
    return masked;
  }
}
