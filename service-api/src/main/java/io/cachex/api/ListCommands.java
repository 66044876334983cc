package io.cachex.api;

import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.annotations.Nullable;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

import java.util.List;

import static io.cachex.api.Action.Access.READ;
import static io.cachex.api.Action.Access.WRITE;
import static io.cachex.api.Action.Batch.NONE;
import static io.cachex.api.JsonValues.box;

/**
 * Redis lists. Elements are any JSON values, stored through the value codec, so equality tests
 * ({@code lrem}, {@code lpos}, {@code linsert}'s pivot) compare encoded bytes: a JSON object element
 * matches an equal object. Indices are 0-based; negative indices count from the tail ({@code -1} is
 * the last element). A list emptied by a pop, trim or removal no longer exists. Mutations keep the
 * key's TTL; pushes to a missing key create it without expiry.
 * <p>
 * Blocking ops ({@code blpop}, {@code brpop}, {@code blmove}) wait on connections of their own, so
 * that callers blocked on empty lists never delay other operations. Their {@code timeout} is in
 * seconds: null or {@code 0} means "as long as allowed", i.e. the service's {@code maxBlockingTimeoutSeconds}
 * (default 25 s); a larger timeout is clamped to it; a negative one is INVALID_ARGUMENT. When the
 * (clamped) timeout elapses the reply is null, so a caller's event-bus request timeout must be
 * larger than the blocking timeout it asks for (the proxy's default is 30 s).
 */
@VertxGen(concrete = false)
public interface ListCommands {

  /** The length of the list; 0 when the key is missing. */
  @Action(access = READ, unavailable = "0")
  Future<Long> llen(String key, @Nullable Integer version);

  /** Prepends the values one by one (the last value ends up first); replies with the new length. */
  @Action(access = WRITE)
  Future<Long> lpush(String key, @Nullable Integer version, JsonArray values);

  /** Appends the values in order; replies with the new length. */
  @Action(access = WRITE)
  Future<Long> rpush(String key, @Nullable Integer version, JsonArray values);

  /**
   * Removes and returns the first element. Two reply shapes: without {@code count}, the decoded
   * element or null when the list is missing; with {@code count}, a JSON array of up to
   * {@code count} elements (empty when the list is missing).
   */
  @Action(access = WRITE)
  Future<@Nullable Object> lpop(String key, @Nullable Long count, @Nullable Integer version);

  /** As {@link #lpop}, from the tail. */
  @Action(access = WRITE)
  Future<@Nullable Object> rpop(String key, @Nullable Long count, @Nullable Integer version);

  /** The element at {@code index} (negative counts from the tail), or null when out of range or missing. */
  @Action(access = READ, unavailable = "null")
  Future<@Nullable Object> lindex(String key, Long index, @Nullable Integer version);

  /** The elements from {@code start} to {@code stop} inclusive (negative indices allowed); empty when missing. */
  @Action(access = READ, unavailable = "[]")
  Future<JsonArray> lrange(String key, Long start, Long stop, @Nullable Integer version);

  /**
   * Replaces the element at {@code index}. A missing key is NOT_FOUND; an index outside the list is
   * INVALID_ARGUMENT ("index out of range").
   */
  @Action(access = WRITE)
  Future<Void> lset(String key, Long index, @Nullable Integer version, JsonArray value);

  /** Keeps only the elements from {@code start} to {@code stop} inclusive; an empty result deletes the key. */
  @Action(access = WRITE)
  Future<Void> ltrim(String key, Long start, Long stop, @Nullable Integer version);

  /**
   * Removes elements equal to {@code value}: {@code count > 0} the first count from the head,
   * {@code count < 0} from the tail, {@code 0} all. Replies with how many were removed.
   */
  @Action(access = WRITE)
  Future<Long> lrem(String key, Long count, @Nullable Integer version, JsonArray value);

  /**
   * The position of an element equal to {@code value}. Two reply shapes: without {@code count},
   * the index (a number) or null when not found; with {@code count} (0 = all), a JSON array of
   * indices (empty when none). {@code rank} (not 0) picks the n-th match, negative searching from
   * the tail; {@code maxlen} (0 = all) limits how many elements are compared.
   */
  @Action(access = READ, unavailable = "null")
  Future<@Nullable Object> lpos(String key, @Nullable Long rank, @Nullable Long count, @Nullable Long maxlen,
      @Nullable Integer version, JsonArray value);

  /**
   * Inserts {@code value} {@code where} ("BEFORE" or "AFTER") the first element equal to
   * {@code pivot}. Replies with the new length, {@code -1} when the pivot is not found, {@code 0}
   * when the key is missing. Both {@code pivot} and {@code value} are boxed single values.
   */
  @Action(access = WRITE)
  Future<Long> linsert(String key, String where, @Nullable Integer version, JsonArray pivot, JsonArray value);

  /**
   * Atomically pops an element from {@code wherefrom} ("LEFT" or "RIGHT") of {@code src} and pushes it
   * to {@code whereto} of {@code dst}; replies with the element, or null when {@code src} is missing.
   * {@code src} is at {@code version}, {@code dst} at {@code dstVersion} (default {@code version}).
   */
  @Action(access = WRITE)
  Future<@Nullable Object> lmove(String src, String dst, String wherefrom, String whereto,
      @Nullable Integer version, @Nullable Integer dstVersion);

  /**
   * Pops the first element of the first non-empty list of {@code keys}, waiting up to {@code timeout}
   * seconds (see the class comment for the bound) for one to appear. Reply: {@code [key, value]}
   * with the caller's key, or null when the timeout elapsed.
   */
  @Action(access = WRITE, waits = true, batch = NONE)
  Future<@Nullable JsonArray> blpop(List<String> keys, @Nullable Double timeout, @Nullable Integer version);

  /** As {@link #blpop}, from the tail. */
  @Action(access = WRITE, waits = true, batch = NONE)
  Future<@Nullable JsonArray> brpop(List<String> keys, @Nullable Double timeout, @Nullable Integer version);

  /** {@link #lmove} that waits up to {@code timeout} seconds for {@code src} to have an element; null on timeout. */
  @Action(access = WRITE, waits = true, batch = NONE)
  Future<@Nullable Object> blmove(String src, String dst, @Nullable Double timeout, String wherefrom, String whereto,
      @Nullable Integer version, @Nullable Integer dstVersion);

  // ---- Java conveniences (run in the caller) ----

  @GenIgnore
  default Future<Long> llen(String key) {
    return llen(key, null);
  }

  /** Prepends one value (a JsonArray value is pushed as one element). */
  @GenIgnore
  default Future<Long> lpush(String key, Object value) {
    return lpush(key, null, box(value));
  }

  /** Appends one value (a JsonArray value is pushed as one element). */
  @GenIgnore
  default Future<Long> rpush(String key, Object value) {
    return rpush(key, null, box(value));
  }

  @GenIgnore
  default Future<@Nullable Object> lpop(String key) {
    return lpop(key, null, null);
  }

  @GenIgnore
  default Future<@Nullable Object> rpop(String key) {
    return rpop(key, null, null);
  }

  @GenIgnore
  default Future<@Nullable Object> lindex(String key, long index) {
    return lindex(key, index, null);
  }

  @GenIgnore
  default Future<JsonArray> lrange(String key, long start, long stop) {
    return lrange(key, start, stop, null);
  }

  @GenIgnore
  default Future<Void> lset(String key, long index, Object value) {
    return lset(key, index, null, box(value));
  }

  @GenIgnore
  default Future<Long> lrem(String key, long count, Object value) {
    return lrem(key, count, null, box(value));
  }

  /** The index of the first element equal to {@code value}, or null. */
  @GenIgnore
  default Future<@Nullable Object> lpos(String key, Object value) {
    return lpos(key, null, null, null, null, box(value));
  }

  @GenIgnore
  default Future<Long> linsert(String key, String where, Object pivot, Object value) {
    return linsert(key, where, null, box(pivot), box(value));
  }

  @GenIgnore
  default Future<@Nullable JsonArray> blpop(List<String> keys, double timeout) {
    return blpop(keys, timeout, null);
  }

  @GenIgnore
  default Future<@Nullable JsonArray> brpop(List<String> keys, double timeout) {
    return brpop(keys, timeout, null);
  }
}
