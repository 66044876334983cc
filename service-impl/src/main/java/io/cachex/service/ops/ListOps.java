package io.cachex.service.ops;

import io.cachex.api.contract.OperationException;
import io.cachex.service.dispatch.Plan;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.cachex.service.ops.OpContext.unbox;
import static io.vertx.redis.client.Request.cmd;

/**
 * Redis lists over the value codec (docs/SEMANTICS.md "Lists"). Blocking pops are {@link Plan#blocking}
 * plans: alone only, on connections of their own, with the server-side wait bounded by
 * {@code maxBlockingTimeoutSeconds}.
 */
public interface ListOps {

  OpContext ctx();

  default Plan<Long> llen(String key, Integer version) {
    return Plan.of(cmd(Command.LLEN).arg(ctx().key(key, version)), Response::toLong);
  }

  default Plan<Long> lpush(String key, Integer version, JsonArray values) {
    return push(Command.LPUSH, key, version, values);
  }

  default Plan<Long> rpush(String key, Integer version, JsonArray values) {
    return push(Command.RPUSH, key, version, values);
  }

  private Plan<Long> push(Command command, String key, Integer version, JsonArray values) {
    OpContext x = ctx();
    if (values.isEmpty()) {
      throw OperationException.invalid("field 'values' must be a non-empty array");
    }
    Request push = cmd(command).arg(x.key(key, version));
    for (Object v : values) {
      push.arg(x.encode(v));
    }
    return Plan.of(push, Response::toLong);
  }

  default Plan<Object> lpop(String key, Long count, Integer version) {
    return pop(Command.LPOP, key, count, version);
  }

  default Plan<Object> rpop(String key, Long count, Integer version) {
    return pop(Command.RPOP, key, count, version);
  }

  private Plan<Object> pop(Command command, String key, Long count, Integer version) {
    OpContext x = ctx();
    Request pop = cmd(command).arg(x.key(key, version));
    if (count == null) {
      return Plan.of(pop, x::decode);
    }
    if (count < 0) {
      throw OperationException.invalid("field 'count' must not be negative");
    }
    // a missing key replies nil even with a count: the count shape is always an array
    return Plan.of(pop.arg(count), x::decodeAll);
  }

  default Plan<Object> lindex(String key, Long index, Integer version) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.LINDEX).arg(x.key(key, version)).arg(index), x::decode);
  }

  default Plan<JsonArray> lrange(String key, Long start, Long stop, Integer version) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.LRANGE).arg(x.key(key, version)).arg(start).arg(stop), x::decodeAll);
  }

  /** "ERR no such key" → NOT_FOUND and "ERR index out of range" → INVALID_ARGUMENT (RedisErrors). */
  default Plan<Void> lset(String key, Long index, Integer version, JsonArray value) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.LSET).arg(x.key(key, version)).arg(index).arg(x.encode(unbox(value))), r -> null);
  }

  default Plan<Void> ltrim(String key, Long start, Long stop, Integer version) {
    return Plan.of(cmd(Command.LTRIM).arg(ctx().key(key, version)).arg(start).arg(stop), r -> null);
  }

  default Plan<Long> lrem(String key, Long count, Integer version, JsonArray value) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.LREM).arg(x.key(key, version)).arg(count).arg(x.encode(unbox(value))), Response::toLong);
  }

  default Plan<Object> lpos(String key, Long rank, Long count, Long maxlen, Integer version, JsonArray value) {
    OpContext x = ctx();
    Request r = cmd(Command.LPOS).arg(x.key(key, version)).arg(x.encode(unbox(value)));
    if (rank != null) {
      if (rank == 0) {
        throw OperationException.invalid("field 'rank' must not be 0 (1 is the first match, -1 the last)");
      }
      r.arg("RANK").arg(rank);
    }
    if (count != null) {
      if (count < 0) {
        throw OperationException.invalid("field 'count' must not be negative");
      }
      r.arg("COUNT").arg(count);
    }
    if (maxlen != null) {
      if (maxlen < 0) {
        throw OperationException.invalid("field 'maxlen' must not be negative");
      }
      r.arg("MAXLEN").arg(maxlen);
    }
    return Plan.of(r, reply -> {
      if (count == null) {
        return reply == null ? null : (Object) reply.toLong();
      }
      JsonArray positions = new JsonArray();
      if (reply != null) {
        for (Response p : reply) {
          positions.add(p.toLong());
        }
      }
      return positions;
    });
  }

  default Plan<Long> linsert(String key, String where, Integer version, JsonArray pivot, JsonArray value) {
    OpContext x = ctx();
    Request r = cmd(Command.LINSERT).arg(x.key(key, version)).arg(choice(where, "where", "BEFORE", "AFTER"))
        .arg(x.encode(unbox(pivot))).arg(x.encode(unbox(value)));
    return Plan.of(r, Response::toLong);
  }

  default Plan<Object> lmove(String src, String dst, String wherefrom, String whereto, Integer version, Integer dstVersion) {
    OpContext x = ctx();
    Request r = cmd(Command.LMOVE).arg(x.key(src, version)).arg(x.key(dst, dstVersion == null ? version : dstVersion))
        .arg(choice(wherefrom, "wherefrom", "LEFT", "RIGHT")).arg(choice(whereto, "whereto", "LEFT", "RIGHT"));
    return Plan.of(r, x::decode);
  }

  // ---- blocking ----

  default Plan<JsonArray> blpop(List<String> keys, Double timeout, Integer version) {
    return blockingPop(Command.BLPOP, keys, timeout, version);
  }

  default Plan<JsonArray> brpop(List<String> keys, Double timeout, Integer version) {
    return blockingPop(Command.BRPOP, keys, timeout, version);
  }

  private Plan<JsonArray> blockingPop(Command command, List<String> keys, Double timeout, Integer version) {
    OpContext x = ctx();
    if (keys.isEmpty()) {
      throw OperationException.invalid("field 'keys' must be a non-empty array of keys");
    }
    Map<String, String> callerKeys = new HashMap<>();
    Request r = cmd(command);
    for (String k : keys) {
      String stored = x.key(k, version);
      callerKeys.putIfAbsent(stored, k);
      r.arg(stored);
    }
    double seconds = blockingSeconds(x, timeout);
    r.arg(secondsArg(seconds));
    return Plan.blocking(r, blockingBoundMs(x, seconds), reply -> {
      if (reply == null) {
        return null;
      }
      String stored = reply.get(0).toString();
      return new JsonArray().add(callerKeys.getOrDefault(stored, x.callerKey(stored))).add(x.decode(reply.get(1)));
    });
  }

  default Plan<Object> blmove(String src, String dst, Double timeout, String wherefrom, String whereto,
                              Integer version, Integer dstVersion) {
    OpContext x = ctx();
    Request r = cmd(Command.BLMOVE).arg(x.key(src, version)).arg(x.key(dst, dstVersion == null ? version : dstVersion))
        .arg(choice(wherefrom, "wherefrom", "LEFT", "RIGHT")).arg(choice(whereto, "whereto", "LEFT", "RIGHT"));
    double seconds = blockingSeconds(x, timeout);
    r.arg(secondsArg(seconds));
    return Plan.blocking(r, blockingBoundMs(x, seconds), x::decode);
  }

  /**
   * The server-side wait: null or 0 → maxBlockingTimeout; above it → maxBlockingTimeout; negative or
   * not finite → INVALID_ARGUMENT. Never 0 on the wire (Redis' "forever").
   */
  private static double blockingSeconds(OpContext x, Double timeout) {
    double max = x.config.maxBlockingTimeout;
    if (timeout == null) {
      return max;
    }
    if (timeout.isNaN() || timeout.isInfinite() || timeout < 0) {
      throw OperationException.invalid("field 'timeout' must be a non-negative number of seconds (0 = as long as allowed)");
    }
    return timeout == 0 || timeout > max ? max : timeout;
  }

  /** The whole call's bound: the server-side wait plus the command timeout, for the reply to travel. */
  private static long blockingBoundMs(OpContext x, double seconds) {
    return (long) Math.ceil(seconds * 1000) + x.config.redis.commandTimeoutMs;
  }

  private static String secondsArg(double seconds) {
    return BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString();
  }

  /** One of two words, case-insensitive, upper-cased for Redis. */
  private static String choice(String value, String field, String a, String b) {
    String v = value.toUpperCase(Locale.ROOT);
    if (!a.equals(v) && !b.equals(v)) {
      throw OperationException.invalid("field '" + field + "' must be " + a + " or " + b);
    }
    return v;
  }
}
