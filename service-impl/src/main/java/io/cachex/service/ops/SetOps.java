package io.cachex.service.ops;

import io.cachex.api.SetCommands;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.cachex.service.ops.Ops.unbox;
import static io.vertx.redis.client.Request.cmd;

/** Redis sets (SEMANTICS.md "Extended ops"): members encoded by the codec, replies decoded. */
public interface SetOps extends SetCommands {

  Ops ops();

  /** SSCAN batch size of {@code sscanIter}. */
  int SCAN_BATCH = 100;

  @Override
  default Future<Long> sadd(String key, Integer version, JsonArray members) {
    return addOrRemove("sadd", Command.SADD, key, version, members);
  }

  @Override
  default Future<Long> srem(String key, Integer version, JsonArray members) {
    return addOrRemove("srem", Command.SREM, key, version, members);
  }

  private Future<Long> addOrRemove(String op, Command command, String key, Integer version, JsonArray members) {
    Ops x = ops();
    return x.op(op, key, () -> {
      Request request = cmd(command).arg(x.key(key, version));
      if (appendMembers(x, request, members, "members") == 0) {
        return Future.succeededFuture(0L);
      }
      return x.send(request).map(Response::toLong);
    });
  }

  @Override
  default Future<JsonArray> smembers(String key, Integer version) {
    Ops x = ops();
    return x.op("smembers", key, () -> x.send(cmd(Command.SMEMBERS).arg(x.key(key, version))).map(x::decodeAll));
  }

  @Override
  default Future<Boolean> sismember(String key, Integer version, JsonArray member) {
    Ops x = ops();
    return x.op("sismember", key, () -> {
      Request request = cmd(Command.SISMEMBER).arg(x.key(key, version)).arg(x.encode(unbox(member, "member")));
      return x.send(request).map(r -> r.toLong() == 1);
    });
  }

  @Override
  default Future<List<Boolean>> smismember(String key, Integer version, JsonArray members) {
    Ops x = ops();
    return x.op("smismember", key, () -> {
      Request request = cmd(Command.SMISMEMBER).arg(x.key(key, version));
      if (appendMembers(x, request, members, "members") == 0) {
        return Future.succeededFuture(List.of());
      }
      return x.send(request).map(reply -> {
        List<Boolean> found = new ArrayList<>(reply.size());
        for (Response r : reply) {
          found.add(r.toLong() == 1);
        }
        return found;
      });
    });
  }

  @Override
  default Future<Long> scard(String key, Integer version) {
    Ops x = ops();
    return x.op("scard", key, () -> x.send(cmd(Command.SCARD).arg(x.key(key, version))).map(Response::toLong));
  }

  @Override
  default Future<Object> spop(String key, Long count, Integer version) {
    Ops x = ops();
    return x.op("spop", key, () -> {
      Request request = cmd(Command.SPOP).arg(x.key(key, version));
      if (count == null) {
        return x.send(request).map(x::decode);
      }
      if (count < 0) {
        throw new IllegalArgumentException("field 'count' must not be negative");
      }
      return x.send(request.arg(count)).map(x::decodeAll);
    });
  }

  @Override
  default Future<Object> srandmember(String key, Long count, Integer version) {
    Ops x = ops();
    return x.op("srandmember", key, () -> {
      Request request = cmd(Command.SRANDMEMBER).arg(x.key(key, version));
      if (count == null) {
        return x.send(request).map(x::decode);
      }
      return x.send(request.arg(count)).map(x::decodeAll);
    });
  }

  @Override
  default Future<Boolean> smove(String src, String dst, Integer srcVersion, Integer dstVersion, JsonArray member) {
    Ops x = ops();
    return x.op("smove", src, () -> {
      Ops.requireKey(dst, "dst");
      Request request = cmd(Command.SMOVE).arg(x.key(src, srcVersion)).arg(x.key(dst, dstVersion))
          .arg(x.encode(unbox(member, "member")));
      return x.send(request).map(r -> r.toLong() == 1);
    });
  }

  @Override
  default Future<JsonArray> sdiff(List<String> keys, Integer version) {
    return combine("sdiff", Command.SDIFF, keys, version);
  }

  @Override
  default Future<JsonArray> sinter(List<String> keys, Integer version) {
    return combine("sinter", Command.SINTER, keys, version);
  }

  @Override
  default Future<JsonArray> sunion(List<String> keys, Integer version) {
    return combine("sunion", Command.SUNION, keys, version);
  }

  private Future<JsonArray> combine(String op, Command command, List<String> keys, Integer version) {
    Ops x = ops();
    return x.op(op, keys == null || keys.isEmpty() ? null : keys.get(0),
        () -> x.send(appendKeys(x, cmd(command), keys, version)).map(x::decodeAll));
  }

  @Override
  default Future<Long> sdiffstore(String dest, List<String> keys, Integer version, Integer destVersion) {
    return store("sdiffstore", Command.SDIFFSTORE, dest, keys, version, destVersion);
  }

  @Override
  default Future<Long> sinterstore(String dest, List<String> keys, Integer version, Integer destVersion) {
    return store("sinterstore", Command.SINTERSTORE, dest, keys, version, destVersion);
  }

  @Override
  default Future<Long> sunionstore(String dest, List<String> keys, Integer version, Integer destVersion) {
    return store("sunionstore", Command.SUNIONSTORE, dest, keys, version, destVersion);
  }

  private Future<Long> store(String op, Command command, String dest, List<String> keys, Integer version, Integer destVersion) {
    Ops x = ops();
    return x.op(op, dest, () -> {
      Ops.requireKey(dest, "dest");
      Request request = appendKeys(x, cmd(command).arg(x.keys.makeKey(dest, x.version(destVersion))), keys, version);
      return x.send(request).map(Response::toLong);
    });
  }

  @Override
  default Future<JsonObject> sscan(String key, String cursor, String match, Long count, Integer version) {
    Ops x = ops();
    return x.op("sscan", key, () -> {
      String from = cursor == null ? "0" : cursor;
      if (!from.matches("[0-9]+")) {
        throw new IllegalArgumentException("field 'cursor' must be a cursor returned by sscan (digits), got '" + cursor + "'");
      }
      if (count != null && count < 1) {
        throw new IllegalArgumentException("field 'count' must be positive");
      }
      return x.send(sscanRequest(x.key(key, version), from, match, count)).map(reply -> new JsonObject()
          .put("cursor", reply.get(0).toString())
          .put("members", x.decodeAll(reply.get(1))));
    });
  }

  @Override
  default Future<JsonArray> sscanIter(String key, String match, Integer version) {
    Ops x = ops();
    return x.op("sscanIter", key, () -> scanAll(x, x.key(key, version), match, "0", new HashSet<>(), new JsonArray()));
  }

  /** SSCAN until the cursor returns to 0; a member SSCAN reports twice is kept once (by its encoded bytes). */
  private static Future<JsonArray> scanAll(Ops x, String storedKey, String match, String cursor, Set<Buffer> seen, JsonArray out) {
    return x.send(sscanRequest(storedKey, cursor, match, (long) SCAN_BATCH)).compose(reply -> {
      for (Response member : reply.get(1)) {
        if (seen.add(member.toBuffer())) {
          out.add(x.decode(member));
        }
      }
      String next = reply.get(0).toString();
      return "0".equals(next) ? Future.succeededFuture(out) : scanAll(x, storedKey, match, next, seen, out);
    });
  }

  private static Request sscanRequest(String storedKey, String cursor, String match, Long count) {
    Request request = cmd(Command.SSCAN).arg(storedKey).arg(cursor);
    if (match != null) {
      request.arg("MATCH").arg(match);
    }
    if (count != null) {
      request.arg("COUNT").arg(count);
    }
    return request;
  }

  /** Appends each member encoded; replies with how many. */
  static int appendMembers(Ops x, Request request, JsonArray members, String field) {
    if (members == null) {
      throw new IllegalArgumentException("field '" + field + "' must be an array of members");
    }
    for (Object m : members) {
      request.arg(x.encode(m));
    }
    return members.size();
  }

  private static Request appendKeys(Ops x, Request request, List<String> keys, Integer version) {
    if (keys == null || keys.isEmpty()) {
      throw new IllegalArgumentException("field 'keys' must name at least one key");
    }
    for (String k : keys) {
      Ops.requireKey(k, "keys");
      request.arg(x.keys.makeKey(k, x.version(version)));
    }
    return request;
  }
}
