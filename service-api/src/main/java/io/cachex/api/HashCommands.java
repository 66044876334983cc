package io.cachex.api;

import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.annotations.Nullable;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.cachex.api.Action.Access.READ;
import static io.cachex.api.Action.Access.WRITE;
import static io.cachex.api.JsonValues.box;

/**
 * Redis hashes. Field names are stored raw (not prefixed, not encoded); field values go through
 * the value codec like cache values (integers stay plain decimal, so {@code hincrby} works on them).
 * A hash whose last field is deleted no longer exists. A command on a key holding another type
 * fails with WRONG_TYPE. Mutations keep the key's TTL.
 */
@VertxGen(concrete = false)
public interface HashCommands {

  /** Sets one field; replies with the number of fields added (0 when the field was overwritten). */
  @Action(access = WRITE)
  Future<Long> hset(String key, String field, @Nullable Integer version, JsonArray value);

  /** Deletes fields; replies with how many existed. An empty list deletes nothing. */
  @Action(access = WRITE)
  Future<Long> hdel(String key, List<String> fields, @Nullable Integer version);

  @Action(access = READ, unavailable = "false")
  Future<Boolean> hexists(String key, String field, @Nullable Integer version);

  /** The field's value, or null when the field or the key is missing. */
  @Action(access = READ, unavailable = "null", lookup = Action.Lookup.VALUE)
  Future<@Nullable Object> hget(String key, String field, @Nullable Integer version);

  /** Every field → value; {@code {}} when the key is missing. */
  @Action(access = READ, unavailable = "{}")
  Future<JsonObject> hgetall(String key, @Nullable Integer version);

  /** The field names; empty when the key is missing. */
  @Action(access = READ, unavailable = "[]")
  Future<List<String>> hkeys(String key, @Nullable Integer version);

  /** Adds {@code amount} (default 1) to an integer field; a missing field starts at 0. Replies with the new value. */
  @Action(access = WRITE)
  Future<Long> hincrby(String key, String field, @Nullable Long amount, @Nullable Integer version);

  /** Adds {@code amount} (default 1.0) to a numeric field; a missing field starts at 0. Replies with the new value. */
  @Action(access = WRITE)
  Future<Double> hincrbyfloat(String key, String field, @Nullable Double amount, @Nullable Integer version);

  /** The number of fields; 0 when the key is missing. */
  @Action(access = READ, unavailable = "0")
  Future<Long> hlen(String key, @Nullable Integer version);

  /** The values of the fields in the order asked, null for each missing field. */
  @Action(access = READ, unavailable = "[]")
  Future<JsonArray> hmget(String key, List<String> fields, @Nullable Integer version);

  /** Sets every field of {@code mapping} (field → value) in one command. An empty mapping writes nothing. */
  @Action(access = WRITE)
  Future<Void> hmset(String key, JsonObject mapping, @Nullable Integer version);

  /** Sets the field only when it does not exist; true when it was set. */
  @Action(access = WRITE)
  Future<Boolean> hsetnx(String key, String field, @Nullable Integer version, JsonArray value);

  /** The values, in the same order as {@link #hkeys}; empty when the key is missing. */
  @Action(access = READ, unavailable = "[]")
  Future<JsonArray> hvals(String key, @Nullable Integer version);

  // ---- Java conveniences (run in the caller) ----

  @GenIgnore
  default Future<Long> hset(String key, String field, Object value) {
    return hset(key, field, null, box(value));
  }

  @GenIgnore
  default Future<Long> hdel(String key, String... fields) {
    return hdel(key, Arrays.asList(fields), null);
  }

  @GenIgnore
  default Future<Boolean> hexists(String key, String field) {
    return hexists(key, field, null);
  }

  @GenIgnore
  default Future<@Nullable Object> hget(String key, String field) {
    return hget(key, field, null);
  }

  @GenIgnore
  default Future<JsonObject> hgetall(String key) {
    return hgetall(key, null);
  }

  @GenIgnore
  default Future<List<String>> hkeys(String key) {
    return hkeys(key, null);
  }

  @GenIgnore
  default Future<Long> hincrby(String key, String field, long amount) {
    return hincrby(key, field, amount, null);
  }

  @GenIgnore
  default Future<Double> hincrbyfloat(String key, String field, double amount) {
    return hincrbyfloat(key, field, amount, null);
  }

  @GenIgnore
  default Future<Long> hlen(String key) {
    return hlen(key, null);
  }

  @GenIgnore
  default Future<JsonArray> hmget(String key, String... fields) {
    return hmget(key, Arrays.asList(fields), null);
  }

  @GenIgnore
  default Future<Void> hmset(String key, Map<String, ?> mapping) {
    JsonObject json = new JsonObject();
    mapping.forEach((f, v) -> json.put(f, JsonValues.normalize(v)));
    return hmset(key, json, null);
  }

  @GenIgnore
  default Future<Boolean> hsetnx(String key, String field, Object value) {
    return hsetnx(key, field, null, box(value));
  }

  @GenIgnore
  default Future<JsonArray> hvals(String key) {
    return hvals(key, null);
  }
}
