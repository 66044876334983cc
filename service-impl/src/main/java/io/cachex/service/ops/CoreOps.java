package io.cachex.service.ops;

import io.cachex.api.ExpiryOptions;
import io.cachex.api.SetOptions;
import io.cachex.api.Stampede;
import io.cachex.api.contract.OperationException;
import io.cachex.service.dispatch.Cmd;
import io.cachex.service.dispatch.Plan;
import io.cachex.service.redis.RedisFailures;
import io.cachex.service.scripts.LuaScript;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.cachex.service.ops.OpContext.unbox;
import static io.vertx.redis.client.Request.cmd;

/**
 * The Django cache methods (docs/SEMANTICS.md "Core cache methods"), with stampede protection
 * ({@link StampedePolicy}): writes store a positive timeout plus the buffer; reads alone may report a
 * value near its expiry as a miss; reads inside a pipeline or transaction serve values as they are.
 */
public interface CoreOps {
  LuaScript SET_MANY = LuaScript.fromResource("set_many");
  LuaScript GET_OR_SET = LuaScript.fromResource("get_or_set");
  LuaScript GET_MANY_TTL = LuaScript.fromResource("get_many_ttl");

  OpContext ctx();

  default Plan<Object> get(String key, Integer version, Stampede stampede, JsonArray defaultValue) {
    OpContext x = ctx();
    Object missing = defaultValue == null ? null : unbox(defaultValue);
    String k = x.key(key, version);
    StampedePolicy policy = x.readPolicy(stampede);
    if (policy == null) {
      return Plan.of(cmd(Command.GET).arg(k), r -> r == null ? missing : x.decode(r));
    }
    // the value and its time left in one round trip; the early-expiry draw is made here, per call
    return Plan.all(List.of(Cmd.of(cmd(Command.GET).arg(k)), Cmd.of(cmd(Command.PTTL).arg(k))), r -> {
      if (r.get(0) == null) {
        return missing;
      }
      if (policy.earlyMiss(r.get(1).toLong())) {
        x.observer.earlyExpiry();
        return missing;
      }
      return x.decode(r.get(0));
    });
  }

  default Plan<Object> set(String key, SetOptions options, Integer version, Stampede stampede, JsonArray value) {
    OpContext x = ctx();
    boolean nx = options != null && options.isNx();
    boolean xx = options != null && options.isXx();
    boolean get = options != null && options.isGet();
    if (nx && xx) {
      throw OperationException.invalid("options 'nx' and 'xx' exclude each other");
    }
    String k = x.key(key, version);
    Buffer v = x.encode(unbox(value));
    Expiry expiry = x.writeExpiry(options, stampede);
    if (expiry.isNow()) {
      return setExpiringNow(x, k, nx, xx, get);
    }
    Request set = expiry.appendTo(cmd(Command.SET).arg(k).arg(v));
    if (nx) {
      set.arg("NX");
    } else if (xx) {
      set.arg("XX");
    }
    if (get) {
      set.arg("GET");
    }
    return Plan.of(set, r -> get ? x.decode(r) : (nx || xx) ? (Object) (r != null) : null);
  }

  /** Django: a write with timeout <= 0 leaves no key behind; the reply says what the write would have done. */
  private static Plan<Object> setExpiringNow(OpContext x, String k, boolean nx, boolean xx, boolean get) {
    if (get) {
      return Plan.of(cmd(Command.GETDEL).arg(k), x::decode);
    }
    if (nx) {
      return Plan.of(cmd(Command.EXISTS).arg(k), r -> r.toLong() == 0);
    }
    return Plan.of(cmd(Command.DEL).arg(k), r -> xx ? (Object) (r.toLong() == 1) : null);
  }

  default Plan<Boolean> add(String key, ExpiryOptions options, Integer version, Stampede stampede, JsonArray value) {
    OpContext x = ctx();
    String k = x.key(key, version);
    Buffer v = x.encode(unbox(value));
    Expiry expiry = x.writeExpiry(options, stampede);
    if (expiry.isNow()) {
      return Plan.of(cmd(Command.EXISTS).arg(k), r -> r.toLong() == 0);
    }
    return Plan.of(expiry.appendTo(cmd(Command.SET).arg(k).arg(v)).arg("NX"), r -> r != null);
  }

  default Plan<Boolean> delete(String key, Integer version) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.DEL).arg(x.key(key, version)), r -> r.toLong() == 1);
  }

  default Plan<Boolean> touch(String key, ExpiryOptions options, Integer version, Stampede stampede) {
    OpContext x = ctx();
    String k = x.key(key, version);
    Expiry expiry = x.writeExpiry(options, stampede);
    Request request = expiry.isNever() ? cmd(Command.PERSIST).arg(k)
        : expiry.isNow() ? cmd(Command.DEL).arg(k)
        : cmd(Command.PEXPIRE).arg(k).arg(expiry.millis());
    return Plan.of(request, r -> r.toLong() == 1);
  }

  /**
   * MGET per hash slot group (one off Cluster), the replies realigned to the keys asked; with stampede
   * protection a script per group that also gives each found value's time left.
   */
  default Plan<JsonObject> getMany(List<String> keys, Integer version, Stampede stampede) {
    OpContext x = ctx();
    StampedePolicy policy = x.readPolicy(stampede);
    if (keys.isEmpty()) {
      return Plan.value(new JsonObject());
    }
    List<String> stored = x.keys(keys, version);
    List<List<Integer>> groups = x.slotGroups(stored);
    List<Cmd> reads = new ArrayList<>(groups.size());
    for (List<Integer> group : groups) {
      List<String> groupKeys = new ArrayList<>(group.size());
      group.forEach(i -> groupKeys.add(stored.get(i)));
      reads.add(policy == null ? Cmd.of(mget(groupKeys)) : Cmd.script(GET_MANY_TTL, groupKeys, List.of()));
    }
    return Plan.all(reads, replies -> {
      JsonObject found = new JsonObject();
      Response[] values = new Response[keys.size()];
      long[] pttls = new long[keys.size()];
      for (int g = 0; g < groups.size(); g++) {
        List<Integer> group = groups.get(g);
        for (int j = 0; j < group.size(); j++) {
          // the script replies [value, pttl] per key; MGET the values alone
          values[group.get(j)] = policy == null ? replies.get(g).get(j) : replies.get(g).get(2 * j);
          pttls[group.get(j)] = policy == null ? -1 : replies.get(g).get(2 * j + 1).toLong();
        }
      }
      for (int i = 0; i < keys.size(); i++) {
        if (values[i] == null) {
          continue;
        }
        if (policy != null && policy.earlyMiss(pttls[i])) {
          x.observer.earlyExpiry();
          continue;
        }
        found.put(keys.get(i), x.decode(values[i]));
      }
      return found;
    });
  }

  private static Request mget(List<String> storedKeys) {
    Request mget = cmd(Command.MGET);
    storedKeys.forEach(mget::arg);
    return mget;
  }

  /**
   * One command per hash slot group (one off Cluster): MSET without expiry, a script that sets with
   * PX otherwise, DEL for a timeout <= 0. Every value is encoded before anything is sent, so bad
   * input fails with nothing written; a group that fails reports its keys.
   */
  default Plan<List<String>> setMany(JsonObject entries, ExpiryOptions options, Integer version, Stampede stampede) {
    OpContext x = ctx();
    Expiry expiry = x.writeExpiry(options, stampede);
    if (entries.isEmpty()) {
      return Plan.value(List.of());
    }
    List<String> callerKeys = new ArrayList<>(entries.size());
    List<String> stored = new ArrayList<>(entries.size());
    List<Buffer> values = new ArrayList<>(entries.size());
    for (Map.Entry<String, Object> e : entries) {
      if (e.getKey().isEmpty()) {
        throw OperationException.invalid("field 'entries' must not have an empty key");
      }
      callerKeys.add(e.getKey());
      stored.add(x.key(e.getKey(), version));
      values.add(expiry.isNow() ? null : x.encode(e.getValue()));
    }
    List<List<Integer>> groups = x.slotGroups(stored);
    List<Cmd> writes = new ArrayList<>(groups.size());
    for (List<Integer> group : groups) {
      writes.add(writeAll(expiry, group, stored, values));
    }
    return Plan.each(writes, replies -> {
      List<String> failed = new ArrayList<>();
      for (int g = 0; g < groups.size(); g++) {
        if (replies.get(g).failed()) {
          groups.get(g).forEach(i -> failed.add(callerKeys.get(i)));
        }
      }
      if (failed.size() == callerKeys.size()) {
        throw RedisFailures.unchecked(firstFailure(replies));
      }
      return failed;
    });
  }

  private static Throwable firstFailure(List<AsyncResult<Response>> replies) {
    return replies.stream().filter(AsyncResult::failed).findFirst().map(AsyncResult::cause).orElseThrow();
  }

  /** The one command that writes the keys at {@code group} (indexes into stored/values). */
  private static Cmd writeAll(Expiry expiry, List<Integer> group, List<String> stored, List<Buffer> values) {
    if (expiry.isNow()) {
      Request del = cmd(Command.DEL);
      group.forEach(i -> del.arg(stored.get(i)));
      return Cmd.of(del);
    }
    if (expiry.isNever()) {
      Request mset = cmd(Command.MSET);
      group.forEach(i -> mset.arg(stored.get(i)).arg(values.get(i)));
      return Cmd.of(mset);
    }
    List<String> keys = new ArrayList<>(group.size());
    List<Object> args = new ArrayList<>(group.size() + 1);
    group.forEach(i -> keys.add(stored.get(i)));
    group.forEach(i -> args.add(values.get(i)));
    args.add(expiry.millis());
    return Cmd.script(SET_MANY, keys, args);
  }

  default Plan<Long> deleteMany(List<String> keys, Integer version) {
    OpContext x = ctx();
    if (keys.isEmpty()) {
      return Plan.value(0L);
    }
    List<String> stored = x.keys(keys, version);
    return Plan.all(OpContext.keysPerSlot(Command.DEL, stored, x.slotGroups(stored)),
        replies -> replies.stream().mapToLong(Response::toLong).sum());
  }

  /**
   * One script: the existing value, else the caller's value stored as {@code add} would. With stampede
   * protection (alone) an existing value near its expiry counts as missing and is overwritten, as the
   * reference's get_or_set does with set() when the read reported an early miss.
   */
  default Plan<Object> getOrSet(String key, ExpiryOptions options, Integer version, Stampede stampede, JsonArray value) {
    OpContext x = ctx();
    String k = x.key(key, version);
    Object v = unbox(value);
    Expiry expiry = x.writeExpiry(options, stampede);
    StampedePolicy policy = x.readPolicy(stampede);
    String ms = expiry.isNever() ? "" : expiry.isNow() ? "0" : Long.toString(expiry.millis());
    String bufferMs = policy == null ? "" : Long.toString(policy.bufferMs());
    String thresholdMs = policy == null ? "" : Long.toString(policy.drawThresholdMs());
    return Plan.of(Cmd.script(GET_OR_SET, List.of(k), List.of(x.encode(v), ms, bufferMs, thresholdMs)), r -> {
      long found = r.get(0).toLong();
      if (found == 1) {
        return x.decode(r.get(1));
      }
      if (found == 2) {
        x.observer.earlyExpiry();
      }
      return v;
    });
  }

  default Plan<Long> clear(Integer version) {
    OpContext x = ctx();
    String glob = x.keys.makePattern("*", x.version(version));
    return Plan.steps(runner -> KeyScan.forEach(runner, x, glob, KeyScan.DELETE_BATCH, batch -> KeyScan.delete(runner, x, batch)));
  }

  default Plan<Boolean> hasKey(String key, Integer version) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.EXISTS).arg(x.key(key, version)), r -> r.toLong() == 1);
  }

  default Plan<Long> incr(String key, Long delta, Integer version) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.INCRBY).arg(x.key(key, version)).arg(delta == null ? 1 : delta), Response::toLong);
  }

  default Plan<Long> decr(String key, Long delta, Integer version) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.DECRBY).arg(x.key(key, version)).arg(delta == null ? 1 : delta), Response::toLong);
  }

  default Plan<Integer> incrVersion(String key, Integer delta, Integer version) {
    return moveVersion(key, delta == null ? 1 : delta, version);
  }

  default Plan<Integer> decrVersion(String key, Integer delta, Integer version) {
    return moveVersion(key, -(delta == null ? 1 : delta), version);
  }

  /** RENAME keeps the TTL; a missing source is NOT_FOUND (from "ERR no such key"). */
  private Plan<Integer> moveVersion(String key, int delta, Integer version) {
    OpContext x = ctx();
    int from = x.version(version);
    int to = from + delta;
    return Plan.of(cmd(Command.RENAME).arg(x.key(key, from)).arg(x.key(key, to)), r -> to);
  }

  default Plan<Void> close() {
    return Plan.value(null);
  }
}
