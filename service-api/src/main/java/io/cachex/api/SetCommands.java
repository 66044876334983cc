package io.cachex.api;

import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.annotations.Nullable;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

import static io.cachex.api.Action.Access.READ;
import static io.cachex.api.Action.Access.WRITE;
import static io.cachex.api.Action.Batch.PIPELINE;
import static io.cachex.api.JsonValues.box;

/**
 * Redis sets. Members are any JSON values, stored encoded by the codec chain, so membership
 * compares encoded bytes ({@code {"a":1}} is a member once however often it is added; an equal
 * object with the same field order is found by {@code sismember}). Replies are decoded; the order of
 * members in a reply is unspecified. A set that loses its last member is deleted (Redis). Mutations
 * keep the key's TTL. A key holding another type fails with {@code WRONG_TYPE}.
 * <p>
 * Several members travel as a plain JSON array ({@code members}); a single member travels boxed as a
 * one-element array ({@code member: [value]}), always the last parameter. An empty {@code members}
 * array is a no-op that replies 0 without contacting the server.
 */
@VertxGen(concrete = false)
public interface SetCommands {

  /** Adds the members; replies with how many were not already in the set. */
  @Action(access = WRITE)
  Future<Long> sadd(String key, @Nullable Integer version, JsonArray members);

  /** Removes the members; replies with how many were in the set. */
  @Action(access = WRITE)
  Future<Long> srem(String key, @Nullable Integer version, JsonArray members);

  /** Every member (empty array when the key is missing). */
  @Action(access = READ, unavailable = "[]")
  Future<JsonArray> smembers(String key, @Nullable Integer version);

  /** Whether the boxed member {@code [value]} is in the set. */
  @Action(access = READ, unavailable = "false")
  Future<Boolean> sismember(String key, @Nullable Integer version, JsonArray member);

  /** For each member, in order, whether it is in the set. */
  @Action(access = READ, unavailable = "[]")
  Future<List<Boolean>> smismember(String key, @Nullable Integer version, JsonArray members);

  /** Number of members (0 when the key is missing). */
  @Action(access = READ, unavailable = "0")
  Future<Long> scard(String key, @Nullable Integer version);

  /**
   * Removes and returns random members. Two reply shapes: without {@code count}, one member or null
   * when the set is empty/missing; with {@code count} (>= 0), a JSON array of up to {@code count}
   * members (empty when missing).
   */
  @Action(access = WRITE)
  Future<@Nullable Object> spop(String key, @Nullable Long count, @Nullable Integer version);

  /**
   * Random members, not removed. Without {@code count}: one member or null. With {@code count}: a
   * JSON array; a positive count gives up to {@code count} distinct members, a negative count gives
   * exactly {@code |count|} members that may repeat (Redis semantics).
   */
  @Action(access = READ, unavailable = "null")
  Future<@Nullable Object> srandmember(String key, @Nullable Long count, @Nullable Integer version);

  /**
   * Moves the boxed member from {@code src} (at {@code version}) to {@code dst} (at {@code dstVersion},
   * default {@code version}); false when it was not in {@code src}.
   */
  @Action(access = WRITE)
  Future<Boolean> smove(String src, String dst, @Nullable Integer version, @Nullable Integer dstVersion, JsonArray member);

  /** Members of the first set that are in none of the others (all keys at {@code version}). */
  @Action(access = READ, unavailable = "[]")
  Future<JsonArray> sdiff(List<String> keys, @Nullable Integer version);

  /** Stores {@code sdiff(keys)} at {@code dest} (at {@code destVersion}, default {@code version}); replies with its size. */
  @Action(access = WRITE)
  Future<Long> sdiffstore(String dest, List<String> keys, @Nullable Integer version, @Nullable Integer destVersion);

  /** Members in every set. */
  @Action(access = READ, unavailable = "[]")
  Future<JsonArray> sinter(List<String> keys, @Nullable Integer version);

  /** Stores {@code sinter(keys)} at {@code dest}; replies with its size. */
  @Action(access = WRITE)
  Future<Long> sinterstore(String dest, List<String> keys, @Nullable Integer version, @Nullable Integer destVersion);

  /** Members in any of the sets. */
  @Action(access = READ, unavailable = "[]")
  Future<JsonArray> sunion(List<String> keys, @Nullable Integer version);

  /** Stores {@code sunion(keys)} at {@code dest}; replies with its size. */
  @Action(access = WRITE)
  Future<Long> sunionstore(String dest, List<String> keys, @Nullable Integer version, @Nullable Integer destVersion);

  /**
   * One SSCAN step from {@code cursor} (default {@code "0"}). Reply {@code {"cursor": "<next>",
   * "members": [...]}}; the iteration is over when the cursor is {@code "0"}. {@code match} is a glob
   * applied by the server to the <em>encoded</em> members: a JSON string member is stored with its
   * quotes ({@code "abc"} is {@code "\"abc\""}), so match {@code "\"a*"} (or {@code *a*}) rather
   * than {@code a*}; integers are stored as plain digits. {@code count} is Redis' hint.
   */
  @Action(access = READ, unavailable = "{\"cursor\": \"0\", \"members\": []}")
  Future<JsonObject> sscan(String key, @Nullable String cursor, @Nullable String match, @Nullable Long count,
                           @Nullable Integer version);

  /**
   * Every member (optionally those whose encoded form matches {@code match}, as in {@link #sscan}),
   * gathered with SSCAN in batches of 100, never SMEMBERS; members are reported once.
   */
  @Action(access = READ, unavailable = "[]", batch = PIPELINE)
  Future<JsonArray> sscanIter(String key, @Nullable String match, @Nullable Integer version);

  // ---- Java conveniences (run in the caller) ----

  /** Adds one member (a JsonArray argument is one member, never unboxed). */
  @GenIgnore
  default Future<Long> sadd(String key, Object member) {
    return sadd(key, null, box(member));
  }

  /** Removes one member. */
  @GenIgnore
  default Future<Long> srem(String key, Object member) {
    return srem(key, null, box(member));
  }

  @GenIgnore
  default Future<JsonArray> smembers(String key) {
    return smembers(key, null);
  }

  @GenIgnore
  default Future<Boolean> sismember(String key, Object member) {
    return sismember(key, null, box(member));
  }

  @GenIgnore
  default Future<Long> scard(String key) {
    return scard(key, null);
  }

  /** One random member removed, or null. */
  @GenIgnore
  default Future<@Nullable Object> spop(String key) {
    return spop(key, null, null);
  }

  /** One random member, or null. */
  @GenIgnore
  default Future<@Nullable Object> srandmember(String key) {
    return srandmember(key, null, null);
  }

  @GenIgnore
  default Future<Boolean> smove(String src, String dst, Object member) {
    return smove(src, dst, null, null, box(member));
  }

  @GenIgnore
  default Future<JsonArray> sscanIter(String key) {
    return sscanIter(key, null, null);
  }
}
