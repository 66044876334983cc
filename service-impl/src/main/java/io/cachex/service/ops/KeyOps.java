package io.cachex.service.ops;

import io.cachex.api.contract.OperationException;
import io.cachex.service.dispatch.Plan;
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

/** Expiry and key operations (docs/SEMANTICS.md "Expiry and keys"). */
public interface KeyOps {

  /** Default COUNT hint of one {@code scan} step (Redis' own default). */
  int SCAN_COUNT = 10;
  /** A server cursor, or on Redis Cluster a composite {@code <primary>-<cursor>}. */
  Pattern CURSOR = Pattern.compile("([0-9]{1,4}-)?[0-9]{1,20}");

  OpContext ctx();

  default Plan<Long> ttl(String key, Integer version) {
    return Plan.of(cmd(Command.TTL).arg(ctx().key(key, version)), KeyOps::remaining);
  }

  default Plan<Long> pttl(String key, Integer version) {
    return Plan.of(cmd(Command.PTTL).arg(ctx().key(key, version)), KeyOps::remaining);
  }

  /** Redis: -1 no expiry (→ null), -2 missing (kept). */
  private static Long remaining(Response r) {
    long t = r.toLong();
    return t == -1 ? null : t;
  }

  default Plan<Boolean> expire(String key, Double timeout, Integer version) {
    Expiry e = Expiry.ofSeconds(timeout);
    return expireIn(ctx().key(key, version), e.isNow() ? 0 : e.millis());
  }

  default Plan<Boolean> pexpire(String key, Long timeout, Integer version) {
    return expireIn(ctx().key(key, version), timeout);
  }

  /** PEXPIRE, or DEL for a non-positive time (true when the key existed, as Redis' own EXPIRE 0). */
  private static Plan<Boolean> expireIn(String k, long millis) {
    Request r = millis <= 0 ? cmd(Command.DEL).arg(k) : cmd(Command.PEXPIRE).arg(k).arg(millis);
    return Plan.of(r, reply -> reply.toLong() == 1);
  }

  default Plan<Boolean> expireAt(String key, Double when, Integer version) {
    if (when.isNaN() || when.isInfinite()) {
      throw OperationException.invalid("field 'when' must be a finite Unix time in seconds");
    }
    return expireAtMillis(ctx().key(key, version), Math.round(when * 1000));
  }

  default Plan<Boolean> pexpireAt(String key, Long when, Integer version) {
    return expireAtMillis(ctx().key(key, version), when);
  }

  /** PEXPIREAT (the server deletes the key when the time is past), DEL for a non-positive time. */
  private static Plan<Boolean> expireAtMillis(String k, long when) {
    Request r = when <= 0 ? cmd(Command.DEL).arg(k) : cmd(Command.PEXPIREAT).arg(k).arg(when);
    return Plan.of(r, reply -> reply.toLong() == 1);
  }

  default Plan<Boolean> persist(String key, Integer version) {
    return Plan.of(cmd(Command.PERSIST).arg(ctx().key(key, version)), r -> r.toLong() == 1);
  }

  default Plan<String> type(String key, Integer version) {
    return Plan.of(cmd(Command.TYPE).arg(ctx().key(key, version)), r -> {
      String t = r.toString();
      return "none".equals(t) ? null : t;
    });
  }

  default Plan<List<String>> keys(String pattern, Integer version) {
    return gather(pattern, version, KeyScan.DELETE_BATCH);
  }

  default Plan<List<String>> iterKeys(String pattern, Integer version) {
    return gather(pattern, version, KeyScan.BATCH);
  }

  private Plan<List<String>> gather(String pattern, Integer version, int batch) {
    OpContext x = ctx();
    String glob = glob(x, pattern, version);
    return Plan.steps(runner -> {
      // SCAN may return a key twice (rehashing during the walk): keep the first
      Set<String> found = new LinkedHashSet<>();
      return KeyScan.forEach(runner, x, glob, batch, stored -> {
        for (String k : stored) {
          found.add(x.callerKey(k));
        }
        return Future.succeededFuture((long) stored.size());
      }).map(n -> new ArrayList<>(found));
    });
  }

  default Plan<JsonObject> scan(String cursor, String pattern, Integer count, Integer version) {
    OpContext x = ctx();
    String from = cursor == null ? "0" : cursor;
    if (!CURSOR.matcher(from).matches()) {
      throw OperationException.invalid("field 'cursor' must be a cursor returned by scan (decimal digits), got '" + cursor + "'");
    }
    if (count != null && count <= 0) {
      throw OperationException.invalid("field 'count' must be a positive integer");
    }
    String glob = glob(x, pattern == null ? "*" : pattern, version);
    return Plan.steps(runner -> KeyScan.page(runner, x, from, glob, count == null ? SCAN_COUNT : count).map(page -> {
      JsonArray keys = new JsonArray();
      page.storedKeys().forEach(k -> keys.add(x.callerKey(k)));
      return new JsonObject().put("cursor", page.cursor()).put("keys", keys);
    }));
  }

  default Plan<Long> deletePattern(String pattern, Integer version) {
    OpContext x = ctx();
    String glob = glob(x, pattern, version);
    return Plan.steps(runner -> KeyScan.forEach(runner, x, glob, KeyScan.DELETE_BATCH, batch -> KeyScan.delete(runner, x, batch)));
  }

  /** The stored-key glob: the prefix escaped, the caller's pattern as is; an empty pattern matches nothing a caller stores. */
  private static String glob(OpContext x, String pattern, Integer version) {
    if (pattern.isEmpty()) {
      throw OperationException.invalid("field 'pattern' must be a non-empty glob pattern (use \"*\" for every key)");
    }
    return x.keys.makePattern(pattern, x.version(version));
  }

  default Plan<Void> rename(String src, String dst, Integer version, Integer dstVersion) {
    return Plan.of(renameRequest(Command.RENAME, src, dst, version, dstVersion), r -> null);
  }

  default Plan<Boolean> renamenx(String src, String dst, Integer version, Integer dstVersion) {
    return Plan.of(renameRequest(Command.RENAMENX, src, dst, version, dstVersion), r -> r.toLong() == 1);
  }

  private Request renameRequest(Command command, String src, String dst, Integer version, Integer dstVersion) {
    OpContext x = ctx();
    return cmd(command).arg(x.key(src, version)).arg(x.key(dst, dstVersion == null ? version : dstVersion));
  }
}
