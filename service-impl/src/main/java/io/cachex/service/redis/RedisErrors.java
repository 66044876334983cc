package io.cachex.service.redis;

import io.cachex.api.CachexError;
import io.vertx.redis.client.Response;

import java.util.List;
import java.util.Locale;

/**
 * The one table of Valkey/Redis error replies: which stable code each becomes, what the caller is
 * told, and whether it means the connection points at a node that cannot serve us (any more).
 * Matched by the reply's leading error word, or by text inside generic {@code ERR} replies.
 */
public final class RedisErrors {

  /** One row: replies starting with {@code prefix} (or containing {@code fragment}). */
  private record Rule(String prefix, String fragment, CachexError code, String detail, boolean staleNode) {
    boolean matches(String m) {
      return prefix != null ? m.startsWith(prefix) : m.contains(fragment);
    }
  }

  private static final List<Rule> RULES = List.of(
      new Rule("WRONGTYPE", null, CachexError.WRONG_TYPE, "the key holds another type of value", false),
      new Rule(null, "not an integer", CachexError.WRONG_TYPE, "the stored value is not a number", false),
      new Rule(null, "not a valid float", CachexError.WRONG_TYPE, "the stored value is not a number", false),
      new Rule(null, "is not a float", CachexError.WRONG_TYPE, "the stored value is not a number", false),
      new Rule("ERR no such key", null, CachexError.NOT_FOUND, "no such key", false),
      new Rule("ERR index out of range", null, CachexError.INVALID_ARGUMENT, "index out of range", false),
      new Rule(null, "overflow", CachexError.INVALID_ARGUMENT, null, false),
      new Rule("ERR invalid expire time", null, CachexError.INVALID_ARGUMENT, null, false),
      new Rule(null, "CROSSSLOT", CachexError.NOT_SUPPORTED,
          "the keys of one call map to different Redis Cluster slots; give them a common hash tag such as {user42}", false),
      new Rule(null, "Transactions in Redis cluster disabled", CachexError.NOT_SUPPORTED,
          "transactions are not available on Redis Cluster", false),
      // not from the server: vertx-redis-client fails the replies awaited on a closed connection so
      new Rule("CONNECTION_CLOSED", null, CachexError.UNAVAILABLE, "Valkey/Redis connection closed before the reply", false),
      new Rule("READONLY", null, CachexError.UNAVAILABLE, null, true),
      new Rule("LOADING", null, CachexError.UNAVAILABLE, null, true),
      new Rule("MASTERDOWN", null, CachexError.UNAVAILABLE, null, true),
      new Rule("TRYAGAIN", null, CachexError.UNAVAILABLE, null, false),
      new Rule("CLUSTERDOWN", null, CachexError.UNAVAILABLE, null, false),
      new Rule("MOVED", null, CachexError.UNAVAILABLE, null, false),
      new Rule("ASK", null, CachexError.UNAVAILABLE, null, false),
      new Rule(null, "Script killed by user", CachexError.TIMEOUT,
          "the script ran longer than limits.scriptTimeoutMs and was stopped with SCRIPT KILL (it had not written)", false),
      new Rule("BUSY", null, CachexError.UNAVAILABLE,
          "Valkey/Redis is busy running a script; the service stops scripts with SCRIPT KILL, but one that has written runs until it ends or SHUTDOWN NOSAVE", false),
      new Rule("NOAUTH", null, CachexError.UNAVAILABLE, null, false),
      new Rule("WRONGPASS", null, CachexError.UNAVAILABLE, null, false),
      new Rule("NOPERM", null, CachexError.UNAVAILABLE, null, false),
      new Rule("OOM", null, CachexError.UNAVAILABLE, null, false));

  private RedisErrors() {
  }

  /** Whether {@code failure} is an error reply of Valkey/Redis (not a transport failure). */
  public static boolean isReply(Throwable failure) {
    return failure instanceof Response || (failure.getMessage() != null
        && (failure.getMessage().contains("CROSSSLOT") || failure.getMessage().contains("Transactions in Redis cluster disabled")));
  }

  /** Whether {@code failure} is an error reply whose first word is {@code word} (e.g. NOSCRIPT). */
  public static boolean is(Throwable failure, String word) {
    String m = failure.getMessage();
    return failure instanceof Response && m != null && (m.equals(word) || m.startsWith(word + " "));
  }

  /** An error reply that says the connection reaches a node that cannot serve us: reconnect. */
  public static boolean staleNode(Throwable failure) {
    Rule r = rule(failure);
    return r != null && r.staleNode;
  }

  /** The code of an error reply; INTERNAL when it is not in the table. */
  public static CachexError codeOf(Throwable failure) {
    Rule r = rule(failure);
    return r == null ? CachexError.INTERNAL : r.code;
  }

  /** Whether an error reply is in the table (a known condition rather than the command's own error). */
  public static boolean known(Throwable failure) {
    return rule(failure) != null;
  }

  /** What the caller is told about an error reply. */
  public static String describe(Throwable failure) {
    String m = message(failure);
    Rule r = rule(failure);
    if (r == null) {
      return "Valkey/Redis replied with an error: " + m;
    }
    if (r.code == CachexError.UNAVAILABLE && r.detail == null) {
      return "Valkey/Redis refused the command: " + m;
    }
    return r.detail == null ? m : r.detail + (r.code == CachexError.WRONG_TYPE ? " (" + m + ")" : "");
  }

  private static Rule rule(Throwable failure) {
    String m = message(failure);
    for (Rule r : RULES) {
      if (r.matches(m)) {
        return r;
      }
    }
    return null;
  }

  private static String message(Throwable failure) {
    String m = failure.getMessage();
    return m == null ? failure.getClass().getSimpleName() : m;
  }

  /** The first word of an error reply, upper case (for logs). */
  public static String firstWord(Throwable failure) {
    String m = message(failure);
    int space = m.indexOf(' ');
    return (space < 0 ? m : m.substring(0, space)).toUpperCase(Locale.ROOT);
  }
}
