package io.cachex.service.ops;

import io.cachex.api.ZaddOptions;
import io.cachex.api.contract.OperationException;
import io.cachex.service.dispatch.Plan;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

import java.util.regex.Pattern;

import static io.cachex.service.ops.OpContext.unbox;
import static io.vertx.redis.client.Request.cmd;

/** Redis sorted sets (docs/SEMANTICS.md "Sorted sets"): members encoded by the codec, scores doubles. */
public interface SortedSetOps {

  OpContext ctx();

  /** A Redis score bound: optional '(' then a finite decimal number, or ±inf. */
  Pattern BOUND = Pattern.compile("\\(?[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|\\(?[+-]?inf", Pattern.CASE_INSENSITIVE);

  default Plan<Long> zadd(String key, ZaddOptions options, Integer version, JsonArray entries) {
    OpContext x = ctx();
    boolean nx = options != null && options.isNx();
    boolean xx = options != null && options.isXx();
    boolean gt = options != null && options.isGt();
    boolean lt = options != null && options.isLt();
    boolean ch = options != null && options.isCh();
    if (nx && xx) {
      throw OperationException.invalid("options 'nx' and 'xx' exclude each other");
    }
    if (gt && lt) {
      throw OperationException.invalid("options 'gt' and 'lt' exclude each other");
    }
    if (nx && (gt || lt)) {
      throw OperationException.invalid("option 'nx' excludes 'gt' and 'lt'");
    }
    Request request = cmd(Command.ZADD).arg(x.key(key, version));
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
    for (int i = 0; i < entries.size(); i++) {
      Object e = entries.getValue(i);
      if (!(e instanceof JsonArray) || ((JsonArray) e).size() != 2 || !(((JsonArray) e).getValue(1) instanceof Number)) {
        throw OperationException.invalid("field 'entries' element " + i + " must be a pair [member, score] with a numeric score");
      }
      JsonArray pair = (JsonArray) e;
      double score = ((Number) pair.getValue(1)).doubleValue();
      if (Double.isNaN(score)) {
        throw OperationException.invalid("field 'entries' element " + i + " has a score that is not a number");
      }
      request.arg(formatScore(score)).arg(x.encode(pair.getValue(0)));
    }
    if (entries.isEmpty()) {
      return Plan.value(0L);
    }
    return Plan.of(request, Response::toLong);
  }

  default Plan<Long> zcard(String key, Integer version) {
    return Plan.of(cmd(Command.ZCARD).arg(ctx().key(key, version)), Response::toLong);
  }

  default Plan<Long> zcount(String key, String min, String max, Integer version) {
    return Plan.of(cmd(Command.ZCOUNT).arg(ctx().key(key, version)).arg(bound(min, "min")).arg(bound(max, "max")), Response::toLong);
  }

  default Plan<Double> zincrby(String key, Double amount, Integer version, JsonArray member) {
    OpContext x = ctx();
    if (amount.isNaN() || amount.isInfinite()) {
      throw OperationException.invalid("field 'amount' must be a finite number");
    }
    Request request = cmd(Command.ZINCRBY).arg(x.key(key, version)).arg(formatScore(amount)).arg(x.encode(unbox(member)));
    return Plan.of(request, SortedSetOps::score);
  }

  default Plan<JsonArray> zrange(String key, Long start, Long stop, Boolean withscores, Integer version) {
    return byRank(Command.ZRANGE, key, start, stop, withscores, version);
  }

  default Plan<JsonArray> zrevrange(String key, Long start, Long stop, Boolean withscores, Integer version) {
    return byRank(Command.ZREVRANGE, key, start, stop, withscores, version);
  }

  private Plan<JsonArray> byRank(Command command, String key, Long start, Long stop, Boolean withscores, Integer version) {
    OpContext x = ctx();
    boolean scores = Boolean.TRUE.equals(withscores);
    Request request = cmd(command).arg(x.key(key, version)).arg(start).arg(stop);
    if (scores) {
      request.arg("WITHSCORES");
    }
    return Plan.of(request, r -> scores ? pairs(x, r) : x.decodeAll(r));
  }

  default Plan<JsonArray> zrangebyscore(String key, String min, String max, Boolean withscores, Long offset, Long count,
                                        Integer version) {
    return byScore(Command.ZRANGEBYSCORE, key, min, "min", max, "max", withscores, offset, count, version);
  }

  default Plan<JsonArray> zrevrangebyscore(String key, String max, String min, Boolean withscores, Long offset, Long count,
                                           Integer version) {
    return byScore(Command.ZREVRANGEBYSCORE, key, max, "max", min, "min", withscores, offset, count, version);
  }

  private Plan<JsonArray> byScore(Command command, String key, String first, String firstName, String second,
                                  String secondName, Boolean withscores, Long offset, Long count, Integer version) {
    OpContext x = ctx();
    boolean scores = Boolean.TRUE.equals(withscores);
    Request request = cmd(command).arg(x.key(key, version)).arg(bound(first, firstName)).arg(bound(second, secondName));
    if (scores) {
      request.arg("WITHSCORES");
    }
    if (offset != null && offset < 0) {
      throw OperationException.invalid("field 'offset' must not be negative");
    }
    if (offset != null || count != null) {
      // LIMIT needs both; a negative count means "all the rest" (Redis)
      request.arg("LIMIT").arg(offset == null ? 0 : offset).arg(count == null ? -1 : count);
    }
    return Plan.of(request, r -> scores ? pairs(x, r) : x.decodeAll(r));
  }

  default Plan<Long> zrank(String key, Integer version, JsonArray member) {
    return rank(Command.ZRANK, key, version, member);
  }

  default Plan<Long> zrevrank(String key, Integer version, JsonArray member) {
    return rank(Command.ZREVRANK, key, version, member);
  }

  private Plan<Long> rank(Command command, String key, Integer version, JsonArray member) {
    OpContext x = ctx();
    return Plan.of(cmd(command).arg(x.key(key, version)).arg(x.encode(unbox(member))), r -> r == null ? null : r.toLong());
  }

  default Plan<Long> zrem(String key, Integer version, JsonArray members) {
    OpContext x = ctx();
    if (members.isEmpty()) {
      return Plan.value(0L);
    }
    Request request = cmd(Command.ZREM).arg(x.key(key, version));
    members.forEach(m -> request.arg(x.encode(m)));
    return Plan.of(request, Response::toLong);
  }

  default Plan<Long> zremrangebyrank(String key, Long start, Long stop, Integer version) {
    return Plan.of(cmd(Command.ZREMRANGEBYRANK).arg(ctx().key(key, version)).arg(start).arg(stop), Response::toLong);
  }

  default Plan<Long> zremrangebyscore(String key, String min, String max, Integer version) {
    return Plan.of(cmd(Command.ZREMRANGEBYSCORE).arg(ctx().key(key, version)).arg(bound(min, "min")).arg(bound(max, "max")),
        Response::toLong);
  }

  default Plan<Double> zscore(String key, Integer version, JsonArray member) {
    OpContext x = ctx();
    return Plan.of(cmd(Command.ZSCORE).arg(x.key(key, version)).arg(x.encode(unbox(member))), SortedSetOps::score);
  }

  default Plan<JsonArray> zmscore(String key, Integer version, JsonArray members) {
    OpContext x = ctx();
    if (members.isEmpty()) {
      return Plan.value(new JsonArray());
    }
    Request request = cmd(Command.ZMSCORE).arg(x.key(key, version));
    members.forEach(m -> request.arg(x.encode(m)));
    return Plan.of(request, reply -> {
      JsonArray out = new JsonArray();
      for (Response r : reply) {
        out.add(score(r));
      }
      return out;
    });
  }

  default Plan<JsonArray> zpopmin(String key, Long count, Integer version) {
    return pop(Command.ZPOPMIN, key, count, version);
  }

  default Plan<JsonArray> zpopmax(String key, Long count, Integer version) {
    return pop(Command.ZPOPMAX, key, count, version);
  }

  private Plan<JsonArray> pop(Command command, String key, Long count, Integer version) {
    OpContext x = ctx();
    if (count != null && count < 0) {
      throw OperationException.invalid("field 'count' must not be negative");
    }
    return Plan.of(cmd(command).arg(x.key(key, version)).arg(count == null ? 1 : count), r -> pairs(x, r));
  }

  // ---- helpers ----

  /** Validates a score bound and returns it in Redis' syntax. */
  static String bound(String bound, String field) {
    if (!BOUND.matcher(bound.trim()).matches()) {
      throw OperationException.invalid("field '" + field + "' must be a score bound: a number, '(number' (exclusive), "
          + "'-inf' or '+inf'; got '" + bound + "'");
    }
    return bound.trim();
  }

  /** A score as Redis reads it; integral scores without a fraction. */
  static String formatScore(double score) {
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
  static JsonArray pairs(OpContext x, Response reply) {
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
