package io.cachex.service.ops;

import io.cachex.api.SortedSetCommands;
import io.cachex.api.ZaddOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

import java.util.regex.Pattern;

import static io.cachex.service.ops.Ops.flag;
import static io.cachex.service.ops.Ops.intOption;
import static io.cachex.service.ops.Ops.unbox;
import static io.vertx.redis.client.Request.cmd;

/** Redis sorted sets (SEMANTICS.md "Extended ops"): members encoded by the codec, scores doubles. */
public interface SortedSetOps extends SortedSetCommands {

  Ops ops();

  /** A Redis score bound: optional '(' then a finite decimal number, or ±inf. */
  Pattern BOUND = Pattern.compile("\\(?[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|\\(?[+-]?inf", Pattern.CASE_INSENSITIVE);

  @Override
  default Future<Long> zadd(String key, ZaddOptions options, JsonArray entries) {
    Ops x = ops();
    return x.op("zadd", key, () -> {
      JsonObject o = options == null ? null : options.toJson();
      boolean nx = flag(o, "nx");
      boolean xx = flag(o, "xx");
      boolean gt = flag(o, "gt");
      boolean lt = flag(o, "lt");
      boolean ch = flag(o, "ch");
      if (nx && xx) {
        throw new IllegalArgumentException("options 'nx' and 'xx' exclude each other");
      }
      if (gt && lt) {
        throw new IllegalArgumentException("options 'gt' and 'lt' exclude each other");
      }
      if (nx && (gt || lt)) {
        throw new IllegalArgumentException("option 'nx' excludes 'gt' and 'lt'");
      }
      Request request = cmd(Command.ZADD).arg(x.key(key, intOption(o, "version")));
      if (nx) {
        request.arg("NX");
      }
      if (xx) {
        request.arg("XX");
      }
      if (gt) {
        request.arg("GT");
      }
      if (lt) {
        request.arg("LT");
      }
      if (ch) {
        request.arg("CH");
      }
      if (entries == null) {
        throw new IllegalArgumentException("field 'entries' must be an array of [member, score] pairs");
      }
      for (int i = 0; i < entries.size(); i++) {
        Object e = entries.getValue(i);
        if (!(e instanceof JsonArray) || ((JsonArray) e).size() != 2 || !(((JsonArray) e).getValue(1) instanceof Number)) {
          throw new IllegalArgumentException("field 'entries' element " + i + " must be a pair [member, score] with a numeric score");
        }
        JsonArray pair = (JsonArray) e;
        double score = ((Number) pair.getValue(1)).doubleValue();
        if (Double.isNaN(score)) {
          throw new IllegalArgumentException("field 'entries' element " + i + " has a score that is not a number");
        }
        request.arg(formatScore(score)).arg(x.encode(pair.getValue(0)));
      }
      if (entries.isEmpty()) {
        return Future.succeededFuture(0L);
      }
      return x.send(request).map(Response::toLong);
    });
  }

  @Override
  default Future<Long> zcard(String key, Integer version) {
    Ops x = ops();
    return x.op("zcard", key, () -> x.send(cmd(Command.ZCARD).arg(x.key(key, version))).map(Response::toLong));
  }

  @Override
  default Future<Long> zcount(String key, String min, String max, Integer version) {
    Ops x = ops();
    return x.op("zcount", key, () -> x.send(cmd(Command.ZCOUNT).arg(x.key(key, version))
        .arg(bound(min, "min")).arg(bound(max, "max"))).map(Response::toLong));
  }

  @Override
  default Future<Double> zincrby(String key, Double amount, Integer version, JsonArray member) {
    Ops x = ops();
    return x.op("zincrby", key, () -> {
      if (amount == null || amount.isNaN() || amount.isInfinite()) {
        throw new IllegalArgumentException("field 'amount' must be a finite number");
      }
      Request request = cmd(Command.ZINCRBY).arg(x.key(key, version)).arg(formatScore(amount))
          .arg(x.encode(unbox(member, "member")));
      return x.send(request).map(SortedSetOps::score);
    });
  }

  @Override
  default Future<JsonArray> zrange(String key, Long start, Long stop, Boolean withscores, Integer version) {
    return byRank("zrange", Command.ZRANGE, key, start, stop, withscores, version);
  }

  @Override
  default Future<JsonArray> zrevrange(String key, Long start, Long stop, Boolean withscores, Integer version) {
    return byRank("zrevrange", Command.ZREVRANGE, key, start, stop, withscores, version);
  }

  private Future<JsonArray> byRank(String op, Command command, String key, Long start, Long stop, Boolean withscores,
                                   Integer version) {
    Ops x = ops();
    return x.op(op, key, () -> {
      requireIndex(start, "start");
      requireIndex(stop, "stop");
      boolean scores = Boolean.TRUE.equals(withscores);
      Request request = cmd(command).arg(x.key(key, version)).arg(start).arg(stop);
      if (scores) {
        request.arg("WITHSCORES");
      }
      return x.send(request).map(r -> scores ? pairs(x, r) : x.decodeAll(r));
    });
  }

  @Override
  default Future<JsonArray> zrangebyscore(String key, String min, String max, Boolean withscores, Long offset, Long count,
                                          Integer version) {
    return byScore("zrangebyscore", Command.ZRANGEBYSCORE, key, min, "min", max, "max", withscores, offset, count, version);
  }

  @Override
  default Future<JsonArray> zrevrangebyscore(String key, String max, String min, Boolean withscores, Long offset, Long count,
                                             Integer version) {
    return byScore("zrevrangebyscore", Command.ZREVRANGEBYSCORE, key, max, "max", min, "min", withscores, offset, count, version);
  }

  private Future<JsonArray> byScore(String op, Command command, String key, String first, String firstName, String second,
                                    String secondName, Boolean withscores, Long offset, Long count, Integer version) {
    Ops x = ops();
    return x.op(op, key, () -> {
      boolean scores = Boolean.TRUE.equals(withscores);
      Request request = cmd(command).arg(x.key(key, version)).arg(bound(first, firstName)).arg(bound(second, secondName));
      if (scores) {
        request.arg("WITHSCORES");
      }
      if (offset != null && offset < 0) {
        throw new IllegalArgumentException("field 'offset' must not be negative");
      }
      if (offset != null || count != null) {
        // LIMIT needs both; a negative count means "all the rest" (Redis)
        request.arg("LIMIT").arg(offset == null ? 0 : offset).arg(count == null ? -1 : count);
      }
      return x.send(request).map(r -> scores ? pairs(x, r) : x.decodeAll(r));
    });
  }

  @Override
  default Future<Long> zrank(String key, Integer version, JsonArray member) {
    return rank("zrank", Command.ZRANK, key, version, member);
  }

  @Override
  default Future<Long> zrevrank(String key, Integer version, JsonArray member) {
    return rank("zrevrank", Command.ZREVRANK, key, version, member);
  }

  private Future<Long> rank(String op, Command command, String key, Integer version, JsonArray member) {
    Ops x = ops();
    return x.op(op, key, () -> x.send(cmd(command).arg(x.key(key, version)).arg(x.encode(unbox(member, "member"))))
        .map(r -> r == null ? null : r.toLong()));
  }

  @Override
  default Future<Long> zrem(String key, Integer version, JsonArray members) {
    Ops x = ops();
    return x.op("zrem", key, () -> {
      Request request = cmd(Command.ZREM).arg(x.key(key, version));
      if (SetOps.appendMembers(x, request, members, "members") == 0) {
        return Future.succeededFuture(0L);
      }
      return x.send(request).map(Response::toLong);
    });
  }

  @Override
  default Future<Long> zremrangebyrank(String key, Long start, Long stop, Integer version) {
    Ops x = ops();
    return x.op("zremrangebyrank", key, () -> {
      requireIndex(start, "start");
      requireIndex(stop, "stop");
      return x.send(cmd(Command.ZREMRANGEBYRANK).arg(x.key(key, version)).arg(start).arg(stop)).map(Response::toLong);
    });
  }

  @Override
  default Future<Long> zremrangebyscore(String key, String min, String max, Integer version) {
    Ops x = ops();
    return x.op("zremrangebyscore", key, () -> x.send(cmd(Command.ZREMRANGEBYSCORE).arg(x.key(key, version))
        .arg(bound(min, "min")).arg(bound(max, "max"))).map(Response::toLong));
  }

  @Override
  default Future<Double> zscore(String key, Integer version, JsonArray member) {
    Ops x = ops();
    return x.op("zscore", key, () -> x.send(cmd(Command.ZSCORE).arg(x.key(key, version)).arg(x.encode(unbox(member, "member"))))
        .map(SortedSetOps::score));
  }

  @Override
  default Future<JsonArray> zmscore(String key, Integer version, JsonArray members) {
    Ops x = ops();
    return x.op("zmscore", key, () -> {
      Request request = cmd(Command.ZMSCORE).arg(x.key(key, version));
      if (SetOps.appendMembers(x, request, members, "members") == 0) {
        return Future.succeededFuture(new JsonArray());
      }
      return x.send(request).map(reply -> {
        JsonArray out = new JsonArray();
        for (Response r : reply) {
          out.add(score(r));
        }
        return out;
      });
    });
  }

  @Override
  default Future<JsonArray> zpopmin(String key, Long count, Integer version) {
    return pop("zpopmin", Command.ZPOPMIN, key, count, version);
  }

  @Override
  default Future<JsonArray> zpopmax(String key, Long count, Integer version) {
    return pop("zpopmax", Command.ZPOPMAX, key, count, version);
  }

  private Future<JsonArray> pop(String op, Command command, String key, Long count, Integer version) {
    Ops x = ops();
    return x.op(op, key, () -> {
      if (count != null && count < 0) {
        throw new IllegalArgumentException("field 'count' must not be negative");
      }
      Request request = cmd(command).arg(x.key(key, version)).arg(count == null ? 1 : count);
      return x.send(request).map(r -> pairs(x, r));
    });
  }

  // ---- helpers ----

  /** Validates a score bound and returns it in Redis' syntax. */
  static String bound(String bound, String field) {
    if (bound == null || !BOUND.matcher(bound.trim()).matches()) {
      throw new IllegalArgumentException("field '" + field + "' must be a score bound: a number, '(number' (exclusive), "
          + "'-inf' or '+inf'; got " + (bound == null ? "nothing" : "'" + bound + "'"));
    }
    return bound.trim();
  }

  private static void requireIndex(Long index, String field) {
    if (index == null) {
      throw new IllegalArgumentException("field '" + field + "' must be an integer index");
    }
  }

  /** A score as Redis reads it; integral scores without a fraction. */
  private static String formatScore(double score) {
    if (Double.isInfinite(score)) {
      return score > 0 ? "+inf" : "-inf";
    }
    if (score == Math.rint(score) && Math.abs(score) < 1e15) {
      return Long.toString((long) score);
    }
    return Double.toString(score);
  }

  /** A score reply (bulk string in RESP2, double in RESP3); nil stays null. */
  static Double score(Response r) {
    if (r == null) {
      return null;
    }
    String s = r.toString();
    if ("inf".equalsIgnoreCase(s) || "+inf".equalsIgnoreCase(s)) {
      return Double.POSITIVE_INFINITY;
    }
    if ("-inf".equalsIgnoreCase(s)) {
      return Double.NEGATIVE_INFINITY;
    }
    return Double.parseDouble(s);
  }

  /** A member/score reply as [[member, score], ...]: flat in RESP2, nested pairs in RESP3. */
  static JsonArray pairs(Ops x, Response reply) {
    JsonArray out = new JsonArray();
    if (reply == null || reply.size() == 0) {
      return out;
    }
    if (reply.get(0) != null && reply.get(0).type() == ResponseType.MULTI) {
      for (Response pair : reply) {
        out.add(new JsonArray().add(x.decode(pair.get(0))).add(score(pair.get(1))));
      }
      return out;
    }
    for (int i = 0; i + 1 < reply.size(); i += 2) {
      out.add(new JsonArray().add(x.decode(reply.get(i))).add(score(reply.get(i + 1))));
    }
    return out;
  }
}
