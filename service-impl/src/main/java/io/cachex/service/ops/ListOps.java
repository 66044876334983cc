package io.cachex.service.ops;

import io.cachex.api.ListCommands;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.cachex.service.ops.Ops.unbox;
import static io.vertx.redis.client.Request.cmd;

/**
 * Redis lists over the value codec (SEMANTICS.md "Extended ops"). Blocking ops go through
 * {@code RedisGateway.sendBlocking}, on pooled connections of their own, with the server-side wait
 * bounded by {@code maxBlockingTimeout}.
 */
public interface ListOps extends ListCommands {

  Ops ops();

  @Override
  default Future<Long> llen(String key, Integer version) {
    Ops x = ops();
    return x.op("llen", key, () -> x.send(cmd(Command.LLEN).arg(x.key(key, version))).map(Response::toLong));
  }

  @Override
  default Future<Long> lpush(String key, Integer version, JsonArray values) {
    return push("lpush", Command.LPUSH, key, version, values);
  }

  @Override
  default Future<Long> rpush(String key, Integer version, JsonArray values) {
    return push("rpush", Command.RPUSH, key, version, values);
  }

  private Future<Long> push(String op, Command command, String key, Integer version, JsonArray values) {
    Ops x = ops();
    return x.op(op, key, () -> {
      Request push = cmd(command).arg(x.key(key, version));
      if (values == null || values.isEmpty()) {
        throw new IllegalArgumentException("field 'values' must be a non-empty array");
      }
      for (Object v : values) {
        push.arg(x.encode(v));
      }
      return x.send(push).map(Response::toLong);
    });
  }

  @Override
  default Future<Object> lpop(String key, Long count, Integer version) {
    return pop("lpop", Command.LPOP, key, count, version);
  }

  @Override
  default Future<Object> rpop(String key, Long count, Integer version) {
    return pop("rpop", Command.RPOP, key, count, version);
  }

  private Future<Object> pop(String op, Command command, String key, Long count, Integer version) {
    Ops x = ops();
    return x.op(op, key, () -> {
      Request pop = cmd(command).arg(x.key(key, version));
      if (count == null) {
        return x.send(pop).map(x::decode);
      }
      if (count < 0) {
        throw new IllegalArgumentException("field 'count' must not be negative");
      }
      // a missing key replies nil even with a count: the count shape is always an array
      return x.send(pop.arg(count)).map(r -> (Object) x.decodeAll(r));
    });
  }

  @Override
  default Future<Object> lindex(String key, Long index, Integer version) {
    Ops x = ops();
    return x.op("lindex", key, () -> {
      String k = x.key(key, version);
      return x.send(cmd(Command.LINDEX).arg(k).arg(required(index, "index"))).map(x::decode);
    });
  }

  @Override
  default Future<JsonArray> lrange(String key, Long start, Long stop, Integer version) {
    Ops x = ops();
    return x.op("lrange", key, () -> {
      Request r = cmd(Command.LRANGE).arg(x.key(key, version)).arg(required(start, "start")).arg(required(stop, "stop"));
      return x.send(r).map(x::decodeAll);
    });
  }

  /** "ERR no such key" → NOT_FOUND and "ERR index out of range" → INVALID_ARGUMENT (RedisFailures). */
  @Override
  default Future<Void> lset(String key, Long index, Integer version, JsonArray value) {
    Ops x = ops();
    return x.op("lset", key, () -> {
      Request r = cmd(Command.LSET).arg(x.key(key, version)).arg(required(index, "index")).arg(x.encode(unbox(value, "value")));
      return x.send(r).mapEmpty();
    });
  }

  @Override
  default Future<Void> ltrim(String key, Long start, Long stop, Integer version) {
    Ops x = ops();
    return x.op("ltrim", key, () -> {
      Request r = cmd(Command.LTRIM).arg(x.key(key, version)).arg(required(start, "start")).arg(required(stop, "stop"));
      return x.send(r).mapEmpty();
    });
  }

  @Override
  default Future<Long> lrem(String key, Long count, Integer version, JsonArray value) {
    Ops x = ops();
    return x.op("lrem", key, () -> {
      Request r = cmd(Command.LREM).arg(x.key(key, version)).arg(required(count, "count")).arg(x.encode(unbox(value, "value")));
      return x.send(r).map(Response::toLong);
    });
  }

  @Override
  default Future<Object> lpos(String key, Long rank, Long count, Long maxlen, Integer version, JsonArray value) {
    Ops x = ops();
    return x.op("lpos", key, () -> {
      Request r = cmd(Command.LPOS).arg(x.key(key, version)).arg(x.encode(unbox(value, "value")));
      if (rank != null) {
        if (rank == 0) {
          throw new IllegalArgumentException("field 'rank' must not be 0 (1 is the first match, -1 the last)");
        }
        r.arg("RANK").arg(rank);
      }
      if (count != null) {
        if (count < 0) {
          throw new IllegalArgumentException("field 'count' must not be negative");
        }
        r.arg("COUNT").arg(count);
      }
      if (maxlen != null) {
        if (maxlen < 0) {
          throw new IllegalArgumentException("field 'maxlen' must not be negative");
        }
        r.arg("MAXLEN").arg(maxlen);
      }
      return x.send(r).map(reply -> {
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
    });
  }

  @Override
  default Future<Long> linsert(String key, String where, Integer version, JsonArray pivot, JsonArray value) {
    Ops x = ops();
    return x.op("linsert", key, () -> {
      String k = x.key(key, version);
      String w = choice(where, "where", "BEFORE", "AFTER");
      Request r = cmd(Command.LINSERT).arg(k).arg(w)
          .arg(x.encode(unbox(pivot, "pivot"))).arg(x.encode(unbox(value, "value")));
      return x.send(r).map(Response::toLong);
    });
  }

  @Override
  default Future<Object> lmove(String src, String dst, String wherefrom, String whereto, Integer srcVersion, Integer dstVersion) {
    Ops x = ops();
    return x.op("lmove", src, () -> {
      Ops.requireKey(src, "src");
      Request r = cmd(Command.LMOVE).arg(x.key(src, srcVersion)).arg(dstKey(x, dst, dstVersion))
          .arg(choice(wherefrom, "wherefrom", "LEFT", "RIGHT")).arg(choice(whereto, "whereto", "LEFT", "RIGHT"));
      return x.send(r).map(x::decode);
    });
  }

  // ---- blocking ----

  @Override
  default Future<JsonArray> blpop(List<String> keys, Double timeout, Integer version) {
    return blockingPop("blpop", Command.BLPOP, keys, timeout, version);
  }

  @Override
  default Future<JsonArray> brpop(List<String> keys, Double timeout, Integer version) {
    return blockingPop("brpop", Command.BRPOP, keys, timeout, version);
  }

  private Future<JsonArray> blockingPop(String op, Command command, List<String> keys, Double timeout, Integer version) {
    Ops x = ops();
    String first = keys == null || keys.isEmpty() ? null : keys.get(0);
    return x.op(op, first, () -> {
      if (keys == null || keys.isEmpty()) {
        throw new IllegalArgumentException("field 'keys' must be a non-empty array of keys");
      }
      Map<String, String> callerKeys = new HashMap<>();
      Request r = cmd(command);
      for (String k : keys) {
        Ops.requireKey(k, "keys");
        String stored = x.key(k, version);
        callerKeys.putIfAbsent(stored, k);
        r.arg(stored);
      }
      double seconds = blockingSeconds(x, timeout);
      r.arg(secondsArg(seconds));
      return x.redis.sendBlocking(r, blockingBoundMs(x, seconds)).map(reply -> {
        if (reply == null) {
          return null;
        }
        String stored = reply.get(0).toString();
        return new JsonArray().add(callerKeys.getOrDefault(stored, x.callerKey(stored))).add(x.decode(reply.get(1)));
      });
    });
  }

  @Override
  default Future<Object> blmove(String src, String dst, Double timeout, String wherefrom, String whereto,
      Integer srcVersion, Integer dstVersion) {
    Ops x = ops();
    return x.op("blmove", src, () -> {
      Ops.requireKey(src, "src");
      Request r = cmd(Command.BLMOVE).arg(x.key(src, srcVersion)).arg(dstKey(x, dst, dstVersion))
          .arg(choice(wherefrom, "wherefrom", "LEFT", "RIGHT")).arg(choice(whereto, "whereto", "LEFT", "RIGHT"));
      double seconds = blockingSeconds(x, timeout);
      r.arg(secondsArg(seconds));
      return x.redis.sendBlocking(r, blockingBoundMs(x, seconds)).map(x::decode);
    });
  }

  /**
   * The server-side wait: null or 0 → maxBlockingTimeout; above it → maxBlockingTimeout; negative or
   * not finite → INVALID_ARGUMENT. Never 0 on the wire (Redis' "forever").
   */
  private static double blockingSeconds(Ops x, Double timeout) {
    double max = x.config.maxBlockingTimeout;
    if (timeout == null) {
      return max;
    }
    if (timeout.isNaN() || timeout.isInfinite() || timeout < 0) {
      throw new IllegalArgumentException("field 'timeout' must be a non-negative number of seconds (0 = as long as allowed)");
    }
    return timeout == 0 || timeout > max ? max : timeout;
  }

  /** sendBlocking's own bound: the server-side wait plus the command timeout, for the reply to travel. */
  private static long blockingBoundMs(Ops x, double seconds) {
    return (long) Math.ceil(seconds * 1000) + x.redis.config().commandTimeoutMs;
  }

  private static String secondsArg(double seconds) {
    return BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString();
  }

  // ---- arguments ----

  private static String dstKey(Ops x, String dst, Integer dstVersion) {
    Ops.requireKey(dst, "dst");
    return x.key(dst, dstVersion);
  }

  private static long required(Long value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("field '" + field + "' is required (an integer)");
    }
    return value;
  }

  /** One of two words, case-insensitive, upper-cased for Redis. */
  private static String choice(String value, String field, String a, String b) {
    String v = value == null ? null : value.toUpperCase(Locale.ROOT);
    if (!a.equals(v) && !b.equals(v)) {
      throw new IllegalArgumentException("field '" + field + "' must be " + a + " or " + b);
    }
    return v;
  }
}
