package io.cachex.api;

import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.annotations.Nullable;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

import java.util.Map;

import static io.cachex.api.Action.Access.READ;
import static io.cachex.api.Action.Access.WRITE;
import static io.cachex.api.JsonValues.box;

/**
 * Redis sorted sets. Members are any JSON values, stored encoded by the codec chain (membership
 * compares encoded bytes); replies are decoded. Scores are doubles. A sorted set that loses its last
 * member is deleted; mutations keep the key's TTL; a key of another type fails with WRONG_TYPE.
 * <p>
 * Score bounds ({@code min}, {@code max}) are strings in Redis' syntax: a number ({@code "2"},
 * {@code "1.5"}, inclusive), an exclusive bound {@code "(1.5"}, or {@code "-inf"} / {@code "+inf"}
 * ({@code "inf"} is {@code "+inf"}). Anything else is INVALID_ARGUMENT naming the field.
 * <p>
 * A member with its score travels as a pair {@code [member, score]}; replies "with scores" are JSON
 * arrays of such pairs. A single member travels boxed ({@code member: [value]}), always last.
 */
@VertxGen(concrete = false)
public interface SortedSetCommands {

  /**
   * Adds or updates members. {@code entries} is an array of {@code [member, score]} pairs (member any
   * JSON value, score a number). Replies with the number of members added, or with {@code ch} the
   * number added or changed. An empty array replies 0 without contacting the server.
   */
  @Action(access = WRITE)
  Future<Long> zadd(String key, @Nullable ZaddOptions options, @Nullable Integer version, JsonArray entries);

  /** Number of members (0 when missing). */
  @Action(access = READ, unavailable = "0")
  Future<Long> zcard(String key, @Nullable Integer version);

  /** Number of members with a score within [min, max] (bounds as described above). */
  @Action(access = READ, unavailable = "0")
  Future<Long> zcount(String key, String min, String max, @Nullable Integer version);

  /** Adds {@code amount} to the boxed member's score (a missing member starts at 0); replies with the new score. */
  @Action(access = WRITE)
  Future<Double> zincrby(String key, Double amount, @Nullable Integer version, JsonArray member);

  /**
   * Members by rank, ascending, from {@code start} to {@code stop} inclusive; negative indices count
   * from the end ({@code -1} is the last). Reply: members, or with {@code withscores} {@code [member, score]} pairs.
   */
  @Action(access = READ, unavailable = "[]")
  Future<JsonArray> zrange(String key, Long start, Long stop, @Nullable Boolean withscores, @Nullable Integer version);

  /** As {@link #zrange}, by descending score. */
  @Action(access = READ, unavailable = "[]")
  Future<JsonArray> zrevrange(String key, Long start, Long stop, @Nullable Boolean withscores, @Nullable Integer version);

  /**
   * Members with a score in [min, max], ascending; {@code offset} (default 0) and {@code count}
   * (default all) page the result. Reply shape as {@link #zrange}.
   */
  @Action(access = READ, unavailable = "[]")
  Future<JsonArray> zrangebyscore(String key, String min, String max, @Nullable Boolean withscores,
                                  @Nullable Long offset, @Nullable Long count, @Nullable Integer version);

  /** As {@link #zrangebyscore}, descending; note the bounds come {@code max} first, as in Redis. */
  @Action(access = READ, unavailable = "[]")
  Future<JsonArray> zrevrangebyscore(String key, String max, String min, @Nullable Boolean withscores,
                                     @Nullable Long offset, @Nullable Long count, @Nullable Integer version);

  /** Rank of the boxed member by ascending score (0-based), or null when it is not in the set. */
  @Action(access = READ, unavailable = "null")
  Future<@Nullable Long> zrank(String key, @Nullable Integer version, JsonArray member);

  /** Rank of the boxed member by descending score, or null. */
  @Action(access = READ, unavailable = "null")
  Future<@Nullable Long> zrevrank(String key, @Nullable Integer version, JsonArray member);

  /** Removes the members; replies with how many were removed. */
  @Action(access = WRITE)
  Future<Long> zrem(String key, @Nullable Integer version, JsonArray members);

  /** Removes the members ranked {@code start}..{@code stop} (negative from the end); replies with the count. */
  @Action(access = WRITE)
  Future<Long> zremrangebyrank(String key, Long start, Long stop, @Nullable Integer version);

  /** Removes the members with a score in [min, max]; replies with the count. */
  @Action(access = WRITE)
  Future<Long> zremrangebyscore(String key, String min, String max, @Nullable Integer version);

  /** Score of the boxed member, or null. */
  @Action(access = READ, unavailable = "null")
  Future<@Nullable Double> zscore(String key, @Nullable Integer version, JsonArray member);

  /** Score of each member, in order: a number, or null for a member not in the set. */
  @Action(access = READ, unavailable = "[]")
  Future<JsonArray> zmscore(String key, @Nullable Integer version, JsonArray members);

  /** Removes and returns up to {@code count} (default 1) lowest-scored members: always an array of {@code [member, score]} pairs. */
  @Action(access = WRITE)
  Future<JsonArray> zpopmin(String key, @Nullable Long count, @Nullable Integer version);

  /** Removes and returns up to {@code count} (default 1) highest-scored members: always an array of pairs. */
  @Action(access = WRITE)
  Future<JsonArray> zpopmax(String key, @Nullable Long count, @Nullable Integer version);

  // ---- Java conveniences (run in the caller) ----

  /**
   * Django's {@code zadd(key, mapping)}: member → score (members are the map's keys, here any value).
   * With options, build the {@code [member, score]} pairs and call the proxied method.
   */
  @GenIgnore
  default Future<Long> zadd(String key, Map<?, ? extends Number> mapping) {
    JsonArray entries = new JsonArray();
    mapping.forEach((m, s) -> entries.add(new JsonArray().add(JsonValues.normalize(m)).add(s.doubleValue())));
    return zadd(key, null, null, entries);
  }

  @GenIgnore
  default Future<Long> zcard(String key) {
    return zcard(key, null);
  }

  @GenIgnore
  default Future<@Nullable Double> zscore(String key, Object member) {
    return zscore(key, null, box(member));
  }

  @GenIgnore
  default Future<@Nullable Long> zrank(String key, Object member) {
    return zrank(key, null, box(member));
  }

  @GenIgnore
  default Future<Double> zincrby(String key, double amount, Object member) {
    return zincrby(key, amount, null, box(member));
  }

  @GenIgnore
  default Future<JsonArray> zrange(String key, long start, long stop) {
    return zrange(key, start, stop, null, null);
  }
}
