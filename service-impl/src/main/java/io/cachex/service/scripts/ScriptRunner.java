package io.cachex.service.scripts;

import io.cachex.api.CachexError;
import io.cachex.service.redis.OperationException;
import io.cachex.service.redis.RedisGateway;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.List;

/**
 * Runs scripts: EVALSHA first; on a NOSCRIPT error reply, EVAL with the source, which also caches
 * the script on the node that answered (on Cluster the client routes both by the first key, so the
 * fallback reaches the same node).
 */
public final class ScriptRunner {
  private ScriptRunner() {
  }

  /** Runs {@code script}; args may hold Strings, numbers, booleans, Buffers or JSON (sent as JSON text). */
  public static Future<Response> run(RedisGateway redis, LuaScript script, List<String> keys, JsonArray args) {
    Request evalsha = request(Command.EVALSHA, script.sha1(), keys, args);
    return redis.send(evalsha).recover(err -> {
      String m = err.getMessage();
      if (err instanceof Response && m != null && m.startsWith("NOSCRIPT")) {
        return redis.send(request(Command.EVAL, script.source(), keys, args));
      }
      return Future.failedFuture(err);
    }).recover(ScriptRunner::scriptError);
  }

  static Request request(Command command, String script, List<String> keys, JsonArray args) {
    Request r = Request.cmd(command).arg(script).arg(keys == null ? 0 : keys.size());
    if (keys != null) {
      for (String k : keys) {
        if (k == null) {
          throw new IllegalArgumentException("field 'keys' must not contain null");
        }
        r.arg(k);
      }
    }
    if (args != null) {
      for (int i = 0; i < args.size(); i++) {
        Object a = args.getList().get(i); // raw: getValue would turn Buffers into base64
        if (a == null) {
          throw new IllegalArgumentException("args[" + i + "] is null: Redis arguments are strings (use full_encode_pre to encode values)");
        } else if (a instanceof Buffer) {
          r.arg((Buffer) a);
        } else if (a instanceof byte[]) {
          r.arg((byte[]) a);
        } else if (a instanceof JsonObject) {
          r.arg(((JsonObject) a).encode());
        } else if (a instanceof JsonArray) {
          r.arg(((JsonArray) a).encode());
        } else if (a instanceof java.util.Map || a instanceof java.util.List) {
          r.arg(io.vertx.core.json.Json.encode(a)); // a JSON object or array decoded from a clustered bus message
        } else {
          r.arg(String.valueOf(a));
        }
      }
    }
    return r;
  }

  /** A script's own error reply (compile error, runtime error, error_reply) is the caller's input problem. */
  private static Future<Response> scriptError(Throwable err) {
    String m = err.getMessage();
    if (err instanceof Response && m != null && !m.startsWith("WRONGTYPE") && !m.startsWith("CROSSSLOT")
        && !m.startsWith("LOADING") && !m.startsWith("MASTERDOWN") && !m.startsWith("READONLY")
        && !m.startsWith("TRYAGAIN") && !m.startsWith("CLUSTERDOWN") && !m.startsWith("BUSY")
        && !m.startsWith("NOAUTH") && !m.startsWith("WRONGPASS") && !m.startsWith("NOPERM")
        && !m.startsWith("MOVED") && !m.startsWith("ASK")) {
      return Future.failedFuture(new OperationException(CachexError.INVALID_ARGUMENT, "script failed: " + m));
    }
    return Future.failedFuture(err);
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
      JsonArray in = (JsonArray) v;
      JsonArray out = new JsonArray();
      for (Object e : in.getList()) {
        out.add(finish(e));
      }
      return out;
    }
    return v;
  }
}
