package io.cachex.service.ops;

import io.cachex.api.contract.OperationException;
import io.cachex.service.dispatch.Plan;
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
 * Redis hashes: field names raw, values through the codec. Every operation is a single Redis
 * command, so TTLs are kept by mutations, an emptied hash disappears and a key of another type
 * fails with WRONG_TYPE, all by Redis itself.
 */
public interface HashOps {

  OpContext ctx();

  default Plan<Long> hset(String key, String field, Integer version, JsonArray value) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.HSET).arg(x.key(key, version)).arg(field).arg(x.encode(unbox(value))), Response::toLong);
  }

  default Plan<Long> hdel(String key, List<String> fields, Integer version) {
    OpContext x = ctx();
    if (fields.isEmpty()) {
      return Plan.value(0L);
    }
    Request del = cmd(Command.HDEL).arg(x.key(key, version));
    fields.forEach(del::arg);
    return Plan.of(del, Response::toLong);
  }

  default Plan<Boolean> hexists(String key, String field, Integer version) {
    return Plan.of(cmd(Command.HEXISTS).arg(ctx().key(key, version)).arg(field), r -> r.toLong() == 1);
  }

  default Plan<Object> hget(String key, String field, Integer version) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.HGET).arg(x.key(key, version)).arg(field), x::decode);
  }

  default Plan<JsonObject> hgetall(String key, Integer version) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.HGETALL).arg(x.key(key, version)), r -> {
      JsonObject all = new JsonObject();
      // RESP2 (the gateway's protocol): a flat array field, value, field, value...
      for (int i = 0; r != null && i + 1 < r.size(); i += 2) {
        all.put(r.get(i).toString(), x.decode(r.get(i + 1)));
      }
      return all;
    });
  }

  default Plan<List<String>> hkeys(String key, Integer version) {
    return Plan.of(cmd(Command.HKEYS).arg(ctx().key(key, version)), r -> {
      List<String> fields = new ArrayList<>(r == null ? 0 : r.size());
      if (r != null) {
        for (Response f : r) {
          fields.add(f.toString());
        }
      }
      return fields;
    });
  }

  default Plan<Long> hincrby(String key, String field, Long amount, Integer version) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.HINCRBY).arg(x.key(key, version)).arg(field).arg(amount == null ? 1L : amount), Response::toLong);
  }

  default Plan<Double> hincrbyfloat(String key, String field, Double amount, Integer version) {
    OpContext x = ctx();
    double by = amount == null ? 1.0 : amount;
    if (Double.isNaN(by) || Double.isInfinite(by)) {
      throw OperationException.invalid("field 'amount' must be a finite number");
    }
    return Plan.of(cmd(Command.HINCRBYFLOAT).arg(x.key(key, version)).arg(field).arg(Double.toString(by)), Response::toDouble);
  }

  default Plan<Long> hlen(String key, Integer version) {
    return Plan.of(cmd(Command.HLEN).arg(ctx().key(key, version)), Response::toLong);
  }

  default Plan<JsonArray> hmget(String key, List<String> fields, Integer version) {
    OpContext x = ctx();
    if (fields.isEmpty()) {
      return Plan.value(new JsonArray());
    }
    Request get = cmd(Command.HMGET).arg(x.key(key, version));
    fields.forEach(get::arg);
    return Plan.of(get, x::decodeAll);
  }

  /** Every value is encoded before anything is sent: a value the codec refuses fails the call with nothing written. */
  default Plan<Void> hmset(String key, JsonObject mapping, Integer version) {
    OpContext x = ctx();
    if (mapping.isEmpty()) {
      return Plan.value(null);
    }
    Request set = cmd(Command.HSET).arg(x.key(key, version));
    for (Map.Entry<String, Object> e : mapping) {
      set.arg(e.getKey()).arg(x.encode(e.getValue()));
    }
    return Plan.of(set, r -> null);
  }

  default Plan<Boolean> hsetnx(String key, String field, Integer version, JsonArray value) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.HSETNX).arg(x.key(key, version)).arg(field).arg(x.encode(unbox(value))), r -> r.toLong() == 1);
  }

  default Plan<JsonArray> hvals(String key, Integer version) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.HVALS).arg(x.key(key, version)), x::decodeAll);
  }
}
