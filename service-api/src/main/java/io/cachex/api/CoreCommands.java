package io.cachex.api;

import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.annotations.Nullable;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

import static io.cachex.api.Action.Access.READ;
import static io.cachex.api.Action.Access.WRITE;
import static io.cachex.api.Action.Batch.PIPELINE;
import static io.cachex.api.JsonValues.box;

/**
 * The Django cache methods. Keys are the caller's keys; the service stores them as
 * {@code prefix:version:key}. Every action takes {@code version} as a field of its own; null means
 * the configured default version. Methods marked {@code @GenIgnore} are Java conveniences that run
 * in the caller and call a proxied method; everything else is an action on the event bus
 * (docs/PROTOCOL.md), with its traits in {@link Action}.
 * <p>
 * {@code stampede} (on {@code get}, {@code getMany}, {@code set}, {@code add}, {@code touch},
 * {@code setMany}, {@code getOrSet}): probabilistic early expiry for this call ({@link Stampede}); null
 * means the service's configured policy. Writes with a positive timeout keep the key the policy's
 * buffer longer; reads may report a value near its logical expiry as a miss.
 * <p>
 * Wire rule for values: the proxy generator cannot carry a bare {@code Object}, so a single value
 * travels boxed as a one-element JSON array ({@code "value": [42]}), which also keeps "the value is
 * null" apart from "no value was sent". The boxed parameter is always the last one, so that no
 * wire method has the same shape as a convenience method taking {@code Object value}: passing a
 * {@code JsonArray} value to a convenience method stores the array, never unboxes it.
 */
@VertxGen(concrete = false)
public interface CoreCommands {

  /**
   * The value; when the key is missing, the boxed {@code defaultValue} ({@code [v]}), else null. A
   * stored null and a missing key differ only through a default.
   */
  @Action(access = READ, unavailable = "null", lookup = Action.Lookup.VALUE)
  Future<@Nullable Object> get(String key, @Nullable Integer version, @Nullable Stampede stampede, @Nullable JsonArray defaultValue);

  /** Stores a value. Reply: null; with nx/xx whether it was written; with get the previous value. */
  @Action(access = WRITE)
  Future<@Nullable Object> set(String key, @Nullable SetOptions options, @Nullable Integer version, @Nullable Stampede stampede,
                               JsonArray value);

  /** Stores the value only when the key is absent; true when it was stored. */
  @Action(access = WRITE)
  Future<Boolean> add(String key, @Nullable ExpiryOptions options, @Nullable Integer version, @Nullable Stampede stampede, JsonArray value);

  /** True when the key existed. */
  @Action(access = WRITE)
  Future<Boolean> delete(String key, @Nullable Integer version);

  /** Sets a new expiry on an existing key; true when the key existed. */
  @Action(access = WRITE)
  Future<Boolean> touch(String key, @Nullable ExpiryOptions options, @Nullable Integer version, @Nullable Stampede stampede);

  /** The values of the keys that exist, keyed by the caller's keys (missing keys are left out). */
  @Action(access = READ, unavailable = "{}", lookup = Action.Lookup.MANY)
  Future<JsonObject> getMany(List<String> keys, @Nullable Integer version, @Nullable Stampede stampede);

  /** Stores every entry of the object; replies with the keys that could not be stored. */
  @Action(access = WRITE)
  Future<List<String>> setMany(JsonObject entries, @Nullable ExpiryOptions options, @Nullable Integer version, @Nullable Stampede stampede);

  /** Deletes the keys; replies with how many existed. */
  @Action(access = WRITE)
  Future<Long> deleteMany(List<String> keys, @Nullable Integer version);

  /**
   * The existing value, else stores {@code value} as {@code add} would and replies with it; in one
   * atomic step, so concurrent callers all get the value that won.
   */
  @Action(access = WRITE)
  Future<@Nullable Object> getOrSet(String key, @Nullable ExpiryOptions options, @Nullable Integer version, @Nullable Stampede stampede,
                                    JsonArray value);

  /** Deletes every key of this service's prefix at the version (never FLUSHDB); replies with the count. */
  @Action(access = WRITE, restricted = true, batch = PIPELINE)
  Future<Long> clear(@Nullable Integer version);

  @Action(access = READ, unavailable = "false")
  Future<Boolean> hasKey(String key, @Nullable Integer version);

  /** Adds {@code delta} (default 1) to an integer value; a missing key starts at 0 and gets no expiry. */
  @Action(access = WRITE)
  Future<Long> incr(String key, @Nullable Long delta, @Nullable Integer version);

  /** Subtracts {@code delta} (default 1). */
  @Action(access = WRITE)
  Future<Long> decr(String key, @Nullable Long delta, @Nullable Integer version);

  /** Moves the key from {@code version} to version + delta (default 1), keeping its TTL; replies with the new version. */
  @Action(access = WRITE)
  Future<Integer> incrVersion(String key, @Nullable Integer delta, @Nullable Integer version);

  /** Moves the key from {@code version} to version - delta (default 1), keeping its TTL; replies with the new version. */
  @Action(access = WRITE)
  Future<Integer> decrVersion(String key, @Nullable Integer delta, @Nullable Integer version);

  /** Django's close(): releases nothing shared and never unregisters the service. */
  @Action(access = READ, unavailable = "null")
  Future<Void> close();

  // ---- Java conveniences (run in the caller) ----

  // the forms without a stampede choice: the service's configured policy

  @GenIgnore
  default Future<@Nullable Object> get(String key, @Nullable Integer version, @Nullable JsonArray defaultValue) {
    return get(key, version, null, defaultValue);
  }

  @GenIgnore
  default Future<@Nullable Object> set(String key, @Nullable SetOptions options, @Nullable Integer version, JsonArray value) {
    return set(key, options, version, null, value);
  }

  @GenIgnore
  default Future<Boolean> add(String key, @Nullable ExpiryOptions options, @Nullable Integer version, JsonArray value) {
    return add(key, options, version, null, value);
  }

  @GenIgnore
  default Future<Boolean> touch(String key, @Nullable ExpiryOptions options, @Nullable Integer version) {
    return touch(key, options, version, null);
  }

  @GenIgnore
  default Future<JsonObject> getMany(List<String> keys, @Nullable Integer version) {
    return getMany(keys, version, null);
  }

  @GenIgnore
  default Future<List<String>> setMany(JsonObject entries, @Nullable ExpiryOptions options, @Nullable Integer version) {
    return setMany(entries, options, version, null);
  }

  @GenIgnore
  default Future<@Nullable Object> getOrSet(String key, @Nullable ExpiryOptions options, @Nullable Integer version, JsonArray value) {
    return getOrSet(key, options, version, null, value);
  }

  /** Stores with this call's stampede choice (the buffer is added to a positive timeout). */
  @GenIgnore
  default Future<@Nullable Object> set(String key, Object value, SetOptions options, Stampede stampede) {
    return set(key, options, null, stampede, box(value));
  }

  @GenIgnore
  default Future<Boolean> add(String key, Object value, ExpiryOptions options, Stampede stampede) {
    return add(key, options, null, stampede, box(value));
  }

  @GenIgnore
  default Future<@Nullable Object> getOrSet(String key, Object value, ExpiryOptions options, Stampede stampede) {
    return getOrSet(key, options, null, stampede, box(value));
  }

  @GenIgnore
  default Future<@Nullable Object> get(String key) {
    return get(key, null, null);
  }

  /** The value, or {@code defaultValue} when the key is missing. */
  @GenIgnore
  default Future<@Nullable Object> get(String key, Object defaultValue) {
    return get(key, null, box(defaultValue));
  }

  @GenIgnore
  default Future<Void> set(String key, Object value) {
    return set(key, null, null, box(value)).mapEmpty();
  }

  @GenIgnore
  default Future<@Nullable Object> set(String key, Object value, SetOptions options) {
    return set(key, options, null, box(value));
  }

  @GenIgnore
  default Future<Boolean> add(String key, Object value) {
    return add(key, null, null, box(value));
  }

  @GenIgnore
  default Future<Boolean> add(String key, Object value, ExpiryOptions options) {
    return add(key, options, null, box(value));
  }

  @GenIgnore
  default Future<Boolean> delete(String key) {
    return delete(key, null);
  }

  /** Resets the expiry to the configured default timeout. */
  @GenIgnore
  default Future<Boolean> touch(String key) {
    return touch(key, null, null);
  }

  @GenIgnore
  default Future<Boolean> touch(String key, ExpiryOptions options) {
    return touch(key, options, null);
  }

  @GenIgnore
  default Future<JsonObject> getMany(List<String> keys) {
    return getMany(keys, null);
  }

  @GenIgnore
  default Future<List<String>> setMany(Map<String, ?> entries) {
    return setMany(entries, null);
  }

  @GenIgnore
  default Future<List<String>> setMany(Map<String, ?> entries, ExpiryOptions options) {
    JsonObject json = new JsonObject();
    entries.forEach((k, v) -> json.put(k, JsonValues.normalize(v)));
    return setMany(json, options, null);
  }

  @GenIgnore
  default Future<Long> deleteMany(List<String> keys) {
    return deleteMany(keys, null);
  }

  @GenIgnore
  default Future<@Nullable Object> getOrSet(String key, Object value) {
    return getOrSet(key, null, null, box(value));
  }

  @GenIgnore
  default Future<@Nullable Object> getOrSet(String key, Object value, ExpiryOptions options) {
    return getOrSet(key, options, null, box(value));
  }

  @GenIgnore
  default Future<Long> clear() {
    return clear(null);
  }

  @GenIgnore
  default Future<Boolean> hasKey(String key) {
    return hasKey(key, null);
  }

  @GenIgnore
  default Future<Long> incr(String key) {
    return incr(key, null, null);
  }

  @GenIgnore
  default Future<Long> incr(String key, long delta) {
    return incr(key, delta, null);
  }

  @GenIgnore
  default Future<Long> decr(String key) {
    return decr(key, null, null);
  }

  @GenIgnore
  default Future<Long> decr(String key, long delta) {
    return decr(key, delta, null);
  }

  @GenIgnore
  default Future<Integer> incrVersion(String key) {
    return incrVersion(key, null, null);
  }

  @GenIgnore
  default Future<Integer> decrVersion(String key) {
    return decrVersion(key, null, null);
  }
}
