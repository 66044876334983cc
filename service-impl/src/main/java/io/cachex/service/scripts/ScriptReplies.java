package io.cachex.service.scripts;

import io.cachex.api.CachexError;
import io.cachex.api.contract.OperationException;
import io.cachex.service.redis.RedisErrors;
import io.cachex.service.redis.RedisFailures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Response;

/** How a script's reply and errors reach the caller. */
public final class ScriptReplies {
  private ScriptReplies() {
  }

  /**
   * A script's own error (compile error, runtime error, {@code error_reply}) is the caller's input
   * problem: INVALID_ARGUMENT with Valkey/Redis' text. Known conditions (WRONGTYPE, a server that is
   * loading or read-only, ...) keep their own code.
   */
  public static RuntimeException failure(Throwable err) {
    if (RedisErrors.isReply(err) && !RedisErrors.known(err)) {
      return new OperationException(CachexError.INVALID_ARGUMENT, "script failed: " + err.getMessage());
    }
    return RedisFailures.unchecked(err);
  }

  /**
   * Maps a reply: integer → Long, bulk string → Buffer (text later unless a post-hook decodes it),
   * array → JsonArray (nested), nil → null, status → String, error element (pcall) → String.
   */
  public static Object raw(Response r) {
    if (r == null) {
      return null;
    }
    switch (r.type()) {
      case NUMBER:
        return r.toLong();
      case BOOLEAN:
        return r.toBoolean() ? 1L : null;
      case BULK:
        return r.toBuffer();
      case MULTI:
      case PUSH:
        JsonArray a = new JsonArray();
        for (Response e : r) {
          a.add(raw(e));
        }
        return a;
      default:
        return r.toString();
    }
  }

  /** Bulk strings left undecoded become text. */
  public static Object finish(Object v) {
    if (v instanceof Buffer) {
      return v.toString();
    }
    if (v instanceof byte[]) {
      return Buffer.buffer((byte[]) v).toString();
    }
    if (v instanceof JsonArray) {
      JsonArray out = new JsonArray();
      for (Object e : ((JsonArray) v).getList()) {
        out.add(finish(e));
      }
      return out;
    }
    return v;
  }
}
