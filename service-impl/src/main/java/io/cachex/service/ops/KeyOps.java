package io.cachex.service.ops;

import io.cachex.api.KeyCommands;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static io.vertx.redis.client.Request.cmd;

/** Expiry and key operations (SEMANTICS.md "Timeouts" and "Extended ops"). */
public interface KeyOps extends KeyCommands {

  /** SCAN COUNT of {@code keys}: fewer round trips for a call that gathers everything anyway. */
  int KEYS_BATCH = 1000;
  /** SCAN COUNT of {@code deletePattern}, as {@code clear}. */
  int DELETE_BATCH = 1000;
  /** Default COUNT hint of one {@code scan} step (Redis' own default). */
  int SCAN_COUNT = 10;
  /** A server cursor, or on Redis Cluster a composite {@code <primary>-<cursor>}. */
  Pattern CURSOR = Pattern.compile("([0-9]{1,4}-)?[0-9]{1,20}");

  Ops ops();

  @Override
  default Future<Long> ttl(String key, Integer version) {
    Ops x = ops();
    return x.op("ttl", key, () -> x.send(cmd(Command.TTL).arg(x.key(key, version))).map(KeyOps::remaining));
  }

  @Override
  default Future<Long> pttl(String key, Integer version) {
    Ops x = ops();
    return x.op("pttl", key, () -> x.send(cmd(Command.PTTL).arg(x.key(key, version))).map(KeyOps::remaining));
  }

  /** Redis: -1 no expiry (→ null), -2 missing (kept). */
  private static Long remaining(Response r) {
    long t = r.toLong();
    return t == -1 ? null : t;
  }

  @Override
  default Future<Boolean> expire(String key, Double timeout, Integer version) {
    Ops x = ops();
    return x.op("expire", key, () -> {
      String k = x.key(key, version);
      if (timeout == null) {
        throw new IllegalArgumentException("field 'timeout' must be a number of seconds");
      }
      Expiry e = Expiry.ofSeconds(timeout);
      return expireIn(x, k, e.isNow() ? 0 : e.millis());
    });
  }

  @Override
  default Future<Boolean> pexpire(String key, Long timeout, Integer version) {
    Ops x = ops();
    return x.op("pexpire", key, () -> {
      String k = x.key(key, version);
      if (timeout == null) {
        throw new IllegalArgumentException("field 'timeout' must be an integer number of milliseconds");
      }
      return expireIn(x, k, timeout);
    });
  }

  /** PEXPIRE, or DEL for a non-positive time (true when the key existed, as Redis' own EXPIRE 0). */
  private static Future<Boolean> expireIn(Ops x, String k, long millis) {
    Request r = millis <= 0 ? cmd(Command.DEL).arg(k) : cmd(Command.PEXPIRE).arg(k).arg(millis);
    return x.send(r).map(reply -> reply.toLong() == 1);
  }

  @Override
  default Future<Boolean> expireAt(String key, Double when, Integer version) {
    Ops x = ops();
    return x.op("expireAt", key, () -> {
      String k = x.key(key, version);
      if (when == null || when.isNaN() || when.isInfinite()) {
        throw new IllegalArgumentException("field 'when' must be a finite Unix time in seconds");
      }
      return expireAtMillis(x, k, Math.round(when * 1000));
    });
  }

  @Override
  default Future<Boolean> pexpireAt(String key, Long when, Integer version) {
    Ops x = ops();
    return x.op("pexpireAt", key, () -> {
      String k = x.key(key, version);
      if (when == null) {
        throw new IllegalArgumentException("field 'when' must be a Unix time in milliseconds");
      }
      return expireAtMillis(x, k, when);
    });
  }

  /** PEXPIREAT (the server deletes the key when the time is past), DEL for a non-positive time. */
  private static Future<Boolean> expireAtMillis(Ops x, String k, long when) {
    Request r = when <= 0 ? cmd(Command.DEL).arg(k) : cmd(Command.PEXPIREAT).arg(k).arg(when);
    return x.send(r).map(reply -> reply.toLong() == 1);
  }

  @Override
  default Future<Boolean> persist(String key, Integer version) {
    Ops x = ops();
    return x.op("persist", key, () -> x.send(cmd(Command.PERSIST).arg(x.key(key, version))).map(r -> r.toLong() == 1));
  }

  @Override
  default Future<String> type(String key, Integer version) {
    Ops x = ops();
    return x.op("type", key, () -> x.send(cmd(Command.TYPE).arg(x.key(key, version))).map(r -> {
      String t = r.toString();
      return "none".equals(t) ? null : t;
    }));
  }

  @Override
  default Future<List<String>> keys(String pattern, Integer version) {
    return gather("keys", pattern, version, KEYS_BATCH);
  }

  @Override
  default Future<List<String>> iterKeys(String pattern, Integer version) {
    return gather("iterKeys", pattern, version, KeyScan.BATCH);
  }

  private Future<List<String>> gather(String op, String pattern, Integer version, int batch) {
    Ops x = ops();
    return x.op(op, null, () -> {
      String glob = glob(x, pattern, version);
      // SCAN may return a key twice (rehashing during the walk): keep the first
      Set<String> found = new LinkedHashSet<>();
      return KeyScan.forEach(x, glob, batch, stored -> {
        for (String k : stored) {
          found.add(x.callerKey(k));
        }
        return Future.succeededFuture((long) stored.size());
      }).map(n -> (List<String>) new ArrayList<>(found));
    });
  }

  @Override
  default Future<JsonObject> scan(String cursor, String pattern, Integer count, Integer version) {
    Ops x = ops();
    return x.op("scan", null, () -> {
      String from = cursor == null ? "0" : cursor;
      if (!CURSOR.matcher(from).matches()) {
        throw new IllegalArgumentException("field 'cursor' must be a cursor returned by scan (decimal digits), got '" + cursor + "'");
      }
      if (count != null && count <= 0) {
        throw new IllegalArgumentException("field 'count' must be a positive integer");
      }
      String glob = glob(x, pattern == null ? "*" : pattern, version);
      return KeyScan.page(x, from, glob, count == null ? SCAN_COUNT : count).map(page -> {
        JsonArray keys = new JsonArray();
        page.storedKeys().forEach(k -> keys.add(x.callerKey(k)));
        return new JsonObject().put("cursor", page.cursor()).put("keys", keys);
      });
    });
  }

  @Override
  default Future<Long> deletePattern(String pattern, Integer version) {
    Ops x = ops();
    return x.op("deletePattern", null, () -> KeyScan.forEach(x, glob(x, pattern, version), DELETE_BATCH,
        batch -> KeyScan.delete(x, batch)));
  }

  /** The stored-key glob: the prefix escaped, the caller's pattern as is. */
  private static String glob(Ops x, String pattern, Integer version) {
    if (pattern == null || pattern.isEmpty()) {
      throw new IllegalArgumentException("field 'pattern' must be a non-empty glob pattern");
    }
    return x.keys.makePattern(pattern, x.version(version));
  }

  @Override
  default Future<Void> rename(String src, String dst, Integer srcVersion, Integer dstVersion) {
    Ops x = ops();
    return x.op("rename", src, () -> {
      Ops.requireKey(src, "src");
      Ops.requireKey(dst, "dst");
      int from = x.version(srcVersion);
      Request r = cmd(Command.RENAME).arg(x.key(src, from)).arg(x.key(dst, dstVersion == null ? from : dstVersion));
      return x.send(r).mapEmpty();
    });
  }

  @Override
  default Future<Boolean> renamenx(String src, String dst, Integer srcVersion, Integer dstVersion) {
    Ops x = ops();
    return x.op("renamenx", src, () -> {
      Ops.requireKey(src, "src");
      Ops.requireKey(dst, "dst");
      int from = x.version(srcVersion);
      Request r = cmd(Command.RENAMENX).arg(x.key(src, from)).arg(x.key(dst, dstVersion == null ? from : dstVersion));
      return x.send(r).map(reply -> reply.toLong() == 1);
    });
  }
}
