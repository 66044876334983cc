package io.cachex.service.ops;

import io.cachex.api.contract.OperationException;
import io.cachex.service.dispatch.Plan;
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

import static io.cachex.service.ops.OpContext.unbox;
import static io.vertx.redis.client.Request.cmd;

/** Redis sets (docs/SEMANTICS.md "Sets"): members encoded by the codec, replies decoded. */
public interface SetOps {

  /** SSCAN batch size of {@code sscanIter}. */
  int SCAN_BATCH = 100;

  OpContext ctx();

  default Plan<Long> sadd(String key, Integer version, JsonArray members) {
    return withMembers(Command.SADD, key, version, members, 0L, Response::toLong);
  }

  default Plan<Long> srem(String key, Integer version, JsonArray members) {
    return withMembers(Command.SREM, key, version, members, 0L, Response::toLong);
  }

  default Plan<JsonArray> smembers(String key, Integer version) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.SMEMBERS).arg(x.key(key, version)), x::decodeAll);
  }

  default Plan<Boolean> sismember(String key, Integer version, JsonArray member) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.SISMEMBER).arg(x.key(key, version)).arg(x.encode(unbox(member))), r -> r.toLong() == 1);
  }

  default Plan<List<Boolean>> smismember(String key, Integer version, JsonArray members) {
    return withMembers(Command.SMISMEMBER, key, version, members, List.of(), reply -> {
      List<Boolean> found = new ArrayList<>(reply.size());
      for (Response r : reply) {
        found.add(r.toLong() == 1);
      }
      return found;
    });
  }

  default Plan<Long> scard(String key, Integer version) {
    return Plan.of(cmd(Command.SCARD).arg(ctx().key(key, version)), Response::toLong);
  }

  default Plan<Object> spop(String key, Long count, Integer version) {
    OpContext x = ctx();
    Request request = cmd(Command.SPOP).arg(x.key(key, version));
    if (count == null) {
      return Plan.of(request, x::decode);
    }
    if (count < 0) {
      throw OperationException.invalid("field 'count' must not be negative");
    }
    return Plan.of(request.arg(count), x::decodeAll);
  }

  default Plan<Object> srandmember(String key, Long count, Integer version) {
    OpContext x = ctx();
    Request request = cmd(Command.SRANDMEMBER).arg(x.key(key, version));
    return count == null ? Plan.of(request, x::decode) : Plan.of(request.arg(count), x::decodeAll);
  }

  default Plan<Boolean> smove(String src, String dst, Integer version, Integer dstVersion, JsonArray member) {
    OpContext x = ctx();
    Request request = cmd(Command.SMOVE).arg(x.key(src, version)).arg(x.key(dst, dstVersion == null ? version : dstVersion))
        .arg(x.encode(unbox(member)));
    return Plan.of(request, r -> r.toLong() == 1);
  }

  default Plan<JsonArray> sdiff(List<String> keys, Integer version) {
    return combine(Command.SDIFF, keys, version);
  }

  default Plan<JsonArray> sinter(List<String> keys, Integer version) {
    return combine(Command.SINTER, keys, version);
  }

  default Plan<JsonArray> sunion(List<String> keys, Integer version) {
    return combine(Command.SUNION, keys, version);
  }

  private Plan<JsonArray> combine(Command command, List<String> keys, Integer version) {
    OpContext x = ctx();
    return Plan.of(appendKeys(x, cmd(command), keys, version), x::decodeAll);
  }

  default Plan<Long> sdiffstore(String dest, List<String> keys, Integer version, Integer destVersion) {
    return store(Command.SDIFFSTORE, dest, keys, version, destVersion);
  }

  default Plan<Long> sinterstore(String dest, List<String> keys, Integer version, Integer destVersion) {
    return store(Command.SINTERSTORE, dest, keys, version, destVersion);
  }

  default Plan<Long> sunionstore(String dest, List<String> keys, Integer version, Integer destVersion) {
    return store(Command.SUNIONSTORE, dest, keys, version, destVersion);
  }

  /** The destination is at {@code destVersion}, which defaults to {@code version} like every destination version. */
  private Plan<Long> store(Command command, String dest, List<String> keys, Integer version, Integer destVersion) {
    OpContext x = ctx();
    Request request = cmd(command).arg(x.key(dest, destVersion == null ? version : destVersion));
    return Plan.of(appendKeys(x, request, keys, version), Response::toLong);
  }

  default Plan<JsonObject> sscan(String key, String cursor, String match, Long count, Integer version) {
    OpContext x = ctx();
    String from = cursor == null ? "0" : cursor;
    if (!from.matches("[0-9]{1,20}")) {
      throw OperationException.invalid("field 'cursor' must be a cursor returned by sscan (digits), got '" + cursor + "'");
    }
    if (count != null && count < 1) {
      throw OperationException.invalid("field 'count' must be positive");
    }
    return Plan.of(sscanRequest(x.key(key, version), from, match, count), reply -> new JsonObject()
        .put("cursor", reply.get(0).toString())
        .put("members", x.decodeAll(reply.get(1))));
  }

  default Plan<JsonArray> sscanIter(String key, String match, Integer version) {
    OpContext x = ctx();
    String stored = x.key(key, version);
    return Plan.steps(runner -> scanAll(runner, x, stored, match, "0", new HashSet<>(), new JsonArray()));
  }

  /** SSCAN until the cursor returns to 0; a member SSCAN reports twice is kept once (by its encoded bytes). */
  private static Future<JsonArray> scanAll(io.cachex.service.dispatch.Runner runner, OpContext x, String storedKey, String match,
                                           String cursor, Set<Buffer> seen, JsonArray out) {
    return runner.run(Plan.of(sscanRequest(storedKey, cursor, match, (long) SCAN_BATCH), reply -> {
      for (Response member : reply.get(1)) {
        if (seen.add(member.toBuffer())) {
          out.add(x.decode(member));
        }
      }
      return reply.get(0).toString();
    })).compose(next -> "0".equals(next) ? Future.succeededFuture(out) : scanAll(runner, x, storedKey, match, next, seen, out));
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

  /**
   * {@code command key member...} with each member encoded; an empty {@code members} array is a no-op
   * answered with {@code none} without contacting the server.
   */
  private <T> Plan<T> withMembers(Command command, String key, Integer version, JsonArray members, T none,
                                  java.util.function.Function<Response, T> decode) {
    OpContext x = ctx();
    Request request = cmd(command).arg(x.key(key, version));
    if (members.isEmpty()) {
      return Plan.value(none);
    }
    for (Object m : members) {
      request.arg(x.encode(m));
    }
    return Plan.of(request, decode);
  }

  private static Request appendKeys(OpContext x, Request request, List<String> keys, Integer version) {
    if (keys.isEmpty()) {
      throw OperationException.invalid("field 'keys' must name at least one key");
    }
    for (String k : keys) {
      request.arg(x.key(k, version));
    }
    return request;
  }
}
