package io.cachex.service.config;

import io.cachex.api.config.ConfigException;
import io.cachex.api.config.ConfigSection;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

/** Redis connection strings: checked when the configuration is read, masked wherever they are printed. */
public final class RedisUris {
  /** The user-info part of any URI (a mistyped scheme must not reveal a password either). */
  private static final Pattern CREDENTIALS = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^@/\\s\",\\]]*@");
  private static final List<String> SCHEMES = List.of("redis", "rediss", "unix");

  private RedisUris() {
  }

  /** Reads a list of endpoints and refuses one that is not {@code redis[s]://[user:password@]host:port[/db]}. */
  static List<String> check(ConfigSection redis, String option) {
    List<String> endpoints = redis.strings(option, "none");
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

  /** {@code redis://user:pw@host} becomes {@code redis://***@host} (any scheme), so no password reaches a log. */
  public static String mask(String text) {
    return CREDENTIALS.matcher(text).replaceAll("$1***@");
  }
}
