package io.cachex.service.scripts;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.cachex.api.CachexError;
import io.cachex.api.contract.OperationException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A Lua script: its name, source and the SHA1 Redis knows it by (computed here, not asked). */
public final class LuaScript {
  private final String name;
  private final String source;
  private final String sha1;

  public LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha1 = sha1(source);
  }

  /**
   * A script shipped as {@code io/cachex/lua/<name>.lua} on the classpath. A line {@code --#include <other>}
   * is replaced by {@code <other>.lua}, so that scripts which must agree (a fingerprint computed by one and
   * checked by another) share one definition; Redis only ever sees the whole text.
   */
  public static LuaScript fromResource(String name) {
    return new LuaScript(name, resource(name));
  }

  private static String resource(String name) {
    String path = "io/cachex/lua/" + name + ".lua";
    try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing Lua resource " + path);
      }
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return INCLUDE.matcher(source).replaceAll(m -> Matcher.quoteReplacement(resource(m.group(1))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Pattern INCLUDE = Pattern.compile("(?m)^--#include (\\w+)$");

  /** Checks the size limit (TOO_LARGE) of caller-supplied script text. */
  public static void checkSize(String source, int maxBytes) {
    if (source == null || source.isEmpty()) {
      throw OperationException.invalid("field 'script' must be a non-empty string");
    }
    int size = source.getBytes(StandardCharsets.UTF_8).length;
    if (size > maxBytes) {
      throw new OperationException(CachexError.TOO_LARGE, "script of " + size + " bytes is over maxScriptBytes (" + maxBytes + ")");
    }
  }

  public String name() {
    return name;
  }

  public String source() {
    return source;
  }

  public String sha1() {
    return sha1;
  }

  static String sha1(String source) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(40);
      for (byte b : d) {
        sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
