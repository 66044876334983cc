package io.cachex.service.ops;

import io.cachex.api.HashCommands;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.cachex.service.ops.Ops.unbox;
import static io.vertx.redis.client.Request.cmd;

/**
 * Redis hashes: field names raw, values through the codec. Every command is a single Redis
 * command, so TTLs are kept by mutations, an emptied hash disappears and a key of another type
 * fails with WRONG_TYPE, all by Redis itself.
 */
public interface HashOps extends HashCommands {

  Ops ops();

  @Override
  default Future<Long> hset(String key, String field, Integer version, JsonArray value) {
    Ops x = ops();
    return x.op("hset", key, () -> {
      String k = x.key(key, version);
      requireField(field, "field");
      Object v = unbox(value, "value");
      return x.send(cmd(Command.HSET).arg(k).arg(field).arg(x.encode(v))).map(Response::toLong);
    });
  }

  @Override
  default Future<Long> hdel(String key, List<String> fields, Integer version) {
    Ops x = ops();
    return x.op("hdel", key, () -> {
      String k = x.key(key, version);
      requireFields(fields);
      if (fields.isEmpty()) {
        return Future.succeededFuture(0L);
      }
      Request del = cmd(Command.HDEL).arg(k);
      fields.forEach(del::arg);
      return x.send(del).map(Response::toLong);
    });
  }

  @Override
  default Future<Boolean> hexists(String key, String field, Integer version) {
    Ops x = ops();
    return x.op("hexists", key, () -> {
      String k = x.key(key, version);
      requireField(field, "field");
      return x.send(cmd(Command.HEXISTS).arg(k).arg(field)).map(r -> r.toLong() == 1);
    });
  }

  @Override
  default Future<Object> hget(String key, String field, Integer version) {
    Ops x = ops();
    return x.op("hget", key, () -> {
      String k = x.key(key, version);
      requireField(field, "field");
      return x.send(cmd(Command.HGET).arg(k).arg(field)).map(x::decode);
    });
  }

  @Override
  default Future<JsonObject> hgetall(String key, Integer version) {
    Ops x = ops();
    return x.op("hgetall", key, () -> x.send(cmd(Command.HGETALL).arg(x.key(key, version))).map(r -> {
      JsonObject all = new JsonObject();
      // RESP2 (the gateway's protocol): a flat array field, value, field, value...
      for (int i = 0; r != null && i + 1 < r.size(); i += 2) {
        all.put(r.get(i).toString(), x.decode(r.get(i + 1)));
      }
      return all;
    }));
  }

  @Override
  default Future<List<String>> hkeys(String key, Integer version) {
    Ops x = ops();
    return x.op("hkeys", key, () -> x.send(cmd(Command.HKEYS).arg(x.key(key, version))).map(r -> {
      List<String> fields = new ArrayList<>(r == null ? 0 : r.size());
      if (r != null) {
        for (Response f : r) {
          fields.add(f.toString());
        }
      }
      return fields;
    }));
  }

  @Override
  default Future<Long> hincrby(String key, String field, Long amount, Integer version) {
    Ops x = ops();
    return x.op("hincrby", key, () -> {
      String k = x.key(key, version);
      requireField(field, "field");
      return x.send(cmd(Command.HINCRBY).arg(k).arg(field).arg(amount == null ? 1L : amount)).map(Response::toLong);
    });
  }

  @Override
  default Future<Double> hincrbyfloat(String key, String field, Double amount, Integer version) {
    Ops x = ops();
    return x.op("hincrbyfloat", key, () -> {
      String k = x.key(key, version);
      requireField(field, "field");
      double by = amount == null ? 1.0 : amount;
      if (Double.isNaN(by) || Double.isInfinite(by)) {
        throw new IllegalArgumentException("field 'amount' must be a finite number");
      }
      return x.send(cmd(Command.HINCRBYFLOAT).arg(k).arg(field).arg(Double.toString(by))).map(Response::toDouble);
    });
  }

  @Override
  default Future<Long> hlen(String key, Integer version) {
    Ops x = ops();
    return x.op("hlen", key, () -> x.send(cmd(Command.HLEN).arg(x.key(key, version))).map(Response::toLong));
  }

  @Override
  default Future<JsonArray> hmget(String key, List<String> fields, Integer version) {
    Ops x = ops();
    return x.op("hmget", key, () -> {
      String k = x.key(key, version);
      requireFields(fields);
      if (fields.isEmpty()) {
        return Future.succeededFuture(new JsonArray());
      }
      Request get = cmd(Command.HMGET).arg(k);
      fields.forEach(get::arg);
      return x.send(get).map(x::decodeAll);
    });
  }

  @Override
  default Future<Void> hmset(String key, JsonObject mapping, Integer version) {
    Ops x = ops();
    return x.op("hmset", key, () -> {
      String k = x.key(key, version);
      if (mapping == null) {
        throw new IllegalArgumentException("field 'mapping' must be an object of field → value");
      }
      if (mapping.isEmpty()) {
        return Future.succeededFuture();
      }
      // encode everything before sending: a value the codec refuses fails the call with nothing written
      Request set = cmd(Command.HSET).arg(k);
      for (Map.Entry<String, Object> e : mapping) {
        set.arg(e.getKey()).arg(x.encode(e.getValue()));
      }
      return x.send(set).mapEmpty();
    });
  }

  @Override
  default Future<Boolean> hsetnx(String key, String field, Integer version, JsonArray value) {
    Ops x = ops();
    return x.op("hsetnx", key, () -> {
      String k = x.key(key, version);
      requireField(field, "field");
      Object v = unbox(value, "value");
      return x.send(cmd(Command.HSETNX).arg(k).arg(field).arg(x.encode(v))).map(r -> r.toLong() == 1);
    });
  }

  @Override
  default Future<JsonArray> hvals(String key, Integer version) {
    Ops x = ops();
    return x.op("hvals", key, () -> x.send(cmd(Command.HVALS).arg(x.key(key, version))).map(x::decodeAll));
  }

  private static void requireField(String field, String name) {
    if (field == null) {
      throw new IllegalArgumentException("field '" + name + "' must be a string");
    }
  }

  private static void requireFields(List<String> fields) {
    if (fields == null) {
      throw new IllegalArgumentException("field 'fields' must be an array of strings");
    }
    for (String f : fields) {
      if (f == null) {
        throw new IllegalArgumentException("field 'fields' must not contain null");
      }
    }
  }
}
