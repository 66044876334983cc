package io.cachex.service.ops;

import io.cachex.api.CoreCommands;
import io.cachex.api.ExpiryOptions;
import io.cachex.api.SetOptions;
import io.cachex.service.scripts.LuaScript;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.cachex.service.ops.Ops.flag;
import static io.cachex.service.ops.Ops.intOption;
import static io.cachex.service.ops.Ops.unbox;
import static io.vertx.redis.client.Request.cmd;

/** The Django cache methods (SEMANTICS.md "Core ops"). */
public interface CoreOps extends CoreCommands {
  LuaScript SET_MANY = LuaScript.fromResource("set_many");

  Ops ops();

  @Override
  default Future<Object> get(String key, Integer version) {
    Ops x = ops();
    return x.op("get", key, () -> x.send(cmd(Command.GET).arg(x.key(key, version))).map(x::decode));
  }

  @Override
  default Future<Object> set(String key, SetOptions options, JsonArray value) {
    Ops x = ops();
    return x.op("set", key, () -> {
      JsonObject o = Ops.options(options);
      boolean nx = flag(o, "nx");
      boolean xx = flag(o, "xx");
      boolean get = flag(o, "get");
      if (nx && xx) {
        throw new IllegalArgumentException("nx and xx exclude each other");
      }
      String k = x.key(key, intOption(o, "version"));
      Object v = unbox(value, "value");
      Expiry expiry = Expiry.from(o, x.defaultExpiry);
      if (expiry.isNow()) {
        return setExpiringNow(x, k, nx, xx, get);
      }
      Request set = expiry.appendTo(cmd(Command.SET).arg(k).arg(x.encode(v)));
      if (nx) {
        set.arg("NX");
      } else if (xx) {
        set.arg("XX");
      }
      if (get) {
        set.arg("GET");
      }
      return x.send(set).map(r -> get ? x.decode(r) : (nx || xx) ? (Object) (r != null) : null);
    });
  }

  /** Django: a write with timeout <= 0 leaves no key behind; the reply says what the write would have done. */
  private static Future<Object> setExpiringNow(Ops x, String k, boolean nx, boolean xx, boolean get) {
    if (get) {
      return x.send(cmd(Command.GETDEL).arg(k)).map(x::decode);
    }
    if (nx) {
      return x.send(cmd(Command.EXISTS).arg(k)).map(r -> (Object) (r.toLong() == 0));
    }
    return x.send(cmd(Command.DEL).arg(k)).map(r -> xx ? (Object) (r.toLong() == 1) : null);
  }

  @Override
  default Future<Boolean> add(String key, ExpiryOptions options, JsonArray value) {
    Ops x = ops();
    return x.op("add", key, () -> {
      JsonObject o = Ops.options(options);
      String k = x.key(key, intOption(o, "version"));
      Object v = unbox(value, "value");
      Expiry expiry = Expiry.from(o, x.defaultExpiry);
      if (expiry.isNow()) {
        return x.send(cmd(Command.EXISTS).arg(k)).map(r -> r.toLong() == 0);
      }
      return x.send(expiry.appendTo(cmd(Command.SET).arg(k).arg(x.encode(v))).arg("NX")).map(r -> r != null);
    });
  }

  @Override
  default Future<Boolean> delete(String key, Integer version) {
    Ops x = ops();
    return x.op("delete", key, () -> x.send(cmd(Command.DEL).arg(x.key(key, version))).map(r -> r.toLong() == 1));
  }

  @Override
  default Future<Boolean> touch(String key, ExpiryOptions options) {
    Ops x = ops();
    return x.op("touch", key, () -> {
      JsonObject o = Ops.options(options);
      String k = x.key(key, intOption(o, "version"));
      Expiry expiry = Expiry.from(o, x.defaultExpiry);
      Request request = expiry.isNever() ? cmd(Command.PERSIST).arg(k)
          : expiry.isNow() ? cmd(Command.DEL).arg(k)
          : cmd(Command.PEXPIRE).arg(k).arg(expiry.millis());
      return x.send(request).map(r -> r.toLong() == 1);
    });
  }

  @Override
  default Future<JsonObject> getMany(List<String> keys, Integer version) {
    Ops x = ops();
    return x.op("getMany", null, () -> {
      if (keys == null || keys.isEmpty()) {
        return Future.succeededFuture(new JsonObject());
      }
      List<String> stored = new ArrayList<>(keys.size());
      for (String k : keys) {
        stored.add(x.key(k, version));
      }
      return x.mget(stored).map(values -> {
        JsonObject found = new JsonObject();
        for (int i = 0; i < keys.size(); i++) {
          if (values[i] != null) {
            found.put(keys.get(i), x.decode(values[i]));
          }
        }
        return found;
      });
    });
  }

  @Override
  default Future<List<String>> setMany(JsonObject entries, ExpiryOptions options) {
    Ops x = ops();
    return x.op("setMany", null, () -> {
      JsonObject o = Ops.options(options);
      Integer version = intOption(o, "version");
      Expiry expiry = Expiry.from(o, x.defaultExpiry);
      if (entries == null || entries.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      // encode every value first, so that bad input fails before anything is written
      List<String> callerKeys = new ArrayList<>(entries.size());
      List<String> stored = new ArrayList<>(entries.size());
      List<Buffer> values = new ArrayList<>(entries.size());
      for (Map.Entry<String, Object> e : entries) {
        callerKeys.add(e.getKey());
        stored.add(x.key(e.getKey(), version));
        values.add(expiry.isNow() ? null : x.encode(e.getValue()));
      }
      // one command per hash slot group (one group off Cluster): MSET, a script that sets with PX, or DEL
      List<List<Integer>> groups = x.slotGroups(stored);
      List<Future<Response>> replies = new ArrayList<>(groups.size());
      for (List<Integer> group : groups) {
        replies.add(x.send(writeAll(expiry, group, stored, values)));
      }
      return Future.join(replies).transform(ignored -> {
        List<String> failed = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
          if (replies.get(g).failed()) {
            groups.get(g).forEach(i -> failed.add(callerKeys.get(i)));
          }
        }
        if (failed.size() == callerKeys.size()) {
          return Future.failedFuture(replies.get(0).cause());
        }
        return Future.succeededFuture(failed);
      });
    });
  }

  /** The one command that writes the keys at {@code group} (indexes into stored/values). */
  private static Request writeAll(Expiry expiry, List<Integer> group, List<String> stored, List<Buffer> values) {
    if (expiry.isNow()) {
      Request del = cmd(Command.DEL);
      group.forEach(i -> del.arg(stored.get(i)));
      return del;
    }
    if (expiry.isNever()) {
      Request mset = cmd(Command.MSET);
      group.forEach(i -> mset.arg(stored.get(i)).arg(values.get(i)));
      return mset;
    }
    // EVAL, not EVALSHA: the script is tiny, the server caches it by its text, and EVAL needs no
    // NOSCRIPT round trip, so it can also be recorded by a pipeline
    Request eval = cmd(Command.EVAL).arg(SET_MANY.source()).arg(group.size());
    group.forEach(i -> eval.arg(stored.get(i)));
    group.forEach(i -> eval.arg(values.get(i)));
    return eval.arg(expiry.millis());
  }

  @Override
  default Future<Long> deleteMany(List<String> keys, Integer version) {
    Ops x = ops();
    return x.op("deleteMany", null, () -> {
      if (keys == null || keys.isEmpty()) {
        return Future.succeededFuture(0L);
      }
      Request del = cmd(Command.DEL);
      for (String k : keys) {
        del.arg(x.key(k, version));
      }
      return x.send(del).map(Response::toLong);
    });
  }

  @Override
  default Future<Object> getOrSet(String key, ExpiryOptions options, JsonArray value) {
    Ops x = ops();
    return x.op("getOrSet", key, () -> {
      JsonObject o = Ops.options(options);
      String k = x.key(key, intOption(o, "version"));
      Object v = unbox(value, "value");
      Expiry expiry = Expiry.from(o, x.defaultExpiry);
      return x.send(cmd(Command.GET).arg(k)).compose(existing -> {
        if (existing != null) {
          return Future.succeededFuture(x.decode(existing));
        }
        if (expiry.isNow()) {
          return Future.succeededFuture(v);
        }
        Request add = expiry.appendTo(cmd(Command.SET).arg(k).arg(x.encode(v))).arg("NX");
        // lost the race to another writer: reply with the value that won
        return x.send(add).compose(r -> r != null ? Future.succeededFuture(v) : x.send(cmd(Command.GET).arg(k)).map(x::decode));
      });
    });
  }

  @Override
  default Future<Long> clear() {
    Ops x = ops();
    return x.op("clear", null, () -> KeyScan.forEach(x, x.keys.makePattern("*", x.config.version), 1000,
        batch -> KeyScan.delete(x, batch)));
  }

  @Override
  default Future<Boolean> hasKey(String key, Integer version) {
    Ops x = ops();
    return x.op("hasKey", key, () -> x.send(cmd(Command.EXISTS).arg(x.key(key, version))).map(r -> r.toLong() == 1));
  }

  @Override
  default Future<Long> incr(String key, Long delta, Integer version) {
    Ops x = ops();
    return x.op("incr", key, () -> x.send(cmd(Command.INCRBY).arg(x.key(key, version)).arg(delta == null ? 1 : delta))
        .map(Response::toLong));
  }

  @Override
  default Future<Long> decr(String key, Long delta, Integer version) {
    Ops x = ops();
    return x.op("decr", key, () -> x.send(cmd(Command.DECRBY).arg(x.key(key, version)).arg(delta == null ? 1 : delta))
        .map(Response::toLong));
  }

  @Override
  default Future<Integer> incrVersion(String key, Integer delta, Integer version) {
    return moveVersion("incrVersion", key, delta == null ? 1 : delta, version);
  }

  @Override
  default Future<Integer> decrVersion(String key, Integer delta, Integer version) {
    return moveVersion("decrVersion", key, -(delta == null ? 1 : delta), version);
  }

  /** RENAME keeps the TTL; a missing source is NOT_FOUND (from "ERR no such key"). */
  private Future<Integer> moveVersion(String op, String key, int delta, Integer version) {
    Ops x = ops();
    return x.op(op, key, () -> {
      int from = x.version(version);
      int to = from + delta;
      return x.send(cmd(Command.RENAME).arg(x.key(key, from)).arg(x.key(key, to))).map(r -> to);
    });
  }

  @Override
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
