package io.cachex.api;

import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.annotations.Nullable;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

import static io.cachex.api.Action.Access.READ;
import static io.cachex.api.Action.Access.WRITE;
import static io.cachex.api.Action.Batch.PIPELINE;

/**
 * Expiry and key operations (docs/SEMANTICS.md "Expiry and keys"). Keys and patterns are the caller's: the
 * service adds {@code prefix:version:} (glob-escaping the prefix only) and strips it from the keys it
 * returns, so a pattern never reaches keys of another prefix or version. Pattern operations walk the
 * keyspace with SCAN, never KEYS; an empty pattern is INVALID_ARGUMENT (use {@code "*"} for every key).
 */
@VertxGen(concrete = false)
public interface KeyCommands {

  /** Seconds to live: null when the key never expires, -2 when it does not exist. */
  @Action(access = READ, unavailable = "-2")
  Future<@Nullable Long> ttl(String key, @Nullable Integer version);

  /** Milliseconds to live: null when the key never expires, -2 when it does not exist. */
  @Action(access = READ, unavailable = "-2")
  Future<@Nullable Long> pttl(String key, @Nullable Integer version);

  /**
   * Expires the key after {@code timeout} seconds (fractions keep millisecond precision). False when
   * the key is missing; a timeout {@code <= 0} deletes the key (true: it existed).
   */
  @Action(access = WRITE)
  Future<Boolean> expire(String key, Double timeout, @Nullable Integer version);

  /** As {@link #expire} with {@code timeout} in milliseconds. */
  @Action(access = WRITE)
  Future<Boolean> pexpire(String key, Long timeout, @Nullable Integer version);

  /**
   * Expires the key at {@code when}, Unix time in seconds (fractions keep millisecond precision).
   * False when the key is missing; a time in the past deletes the key (true: it existed).
   */
  @Action(access = WRITE)
  Future<Boolean> expireAt(String key, Double when, @Nullable Integer version);

  /** As {@link #expireAt} with {@code when} in Unix milliseconds. */
  @Action(access = WRITE)
  Future<Boolean> pexpireAt(String key, Long when, @Nullable Integer version);

  /** Removes the expiry; false when the key is missing or had none. */
  @Action(access = WRITE)
  Future<Boolean> persist(String key, @Nullable Integer version);

  /** {@code string}, {@code list}, {@code set}, {@code hash}, {@code zset} or {@code stream}; null when missing. */
  @Action(access = READ, unavailable = "null")
  Future<@Nullable String> type(String key, @Nullable Integer version);

  /**
   * The caller's keys matching the glob {@code pattern} at the version, in no particular order.
   * Walks SCAN with a large COUNT (1000) and gathers everything in one reply: use
   * {@link #scan} (or {@link KeyStream}) for keyspaces too large for one message.
   */
  @Action(access = READ, unavailable = "[]", batch = PIPELINE)
  Future<List<String>> keys(String pattern, @Nullable Integer version);

  /**
   * The same keys as {@link #keys}, gathered by SCAN with the reference's batch size of 100 (more
   * round trips, each shorter on the server).
   */
  @Action(access = READ, unavailable = "[]", batch = PIPELINE)
  Future<List<String>> iterKeys(String pattern, @Nullable Integer version);

  /**
   * One SCAN step: {@code {"cursor": "<next>", "keys": [caller keys]}}. Start with cursor {@code "0"}
   * (the default); the walk is complete when the returned cursor is {@code "0"}. A step may return
   * no keys while the cursor is not yet {@code "0"}. {@code pattern} defaults to {@code "*"};
   * {@code count} is SCAN's COUNT hint (default 10).
   */
  @Action(access = READ, unavailable = "{\"cursor\": \"0\", \"keys\": []}", batch = PIPELINE)
  Future<JsonObject> scan(@Nullable String cursor, @Nullable String pattern, @Nullable Integer count,
                          @Nullable Integer version);

  /** Deletes the caller's keys matching {@code pattern} (SCAN + UNLINK in batches); replies with the count. */
  @Action(access = WRITE, restricted = true, batch = PIPELINE)
  Future<Long> deletePattern(String pattern, @Nullable Integer version);

  /**
   * Renames {@code src} (at {@code version}) to {@code dst} (at {@code dstVersion}, default
   * {@code version}), replacing {@code dst} and keeping the TTL. A missing source fails with NOT_FOUND.
   */
  @Action(access = WRITE)
  Future<Void> rename(String src, String dst, @Nullable Integer version, @Nullable Integer dstVersion);

  /** As {@link #rename} but only when {@code dst} does not exist; true when renamed. */
  @Action(access = WRITE)
  Future<Boolean> renamenx(String src, String dst, @Nullable Integer version, @Nullable Integer dstVersion);

  // ---- Java conveniences (run in the caller) ----

  @GenIgnore
  default Future<@Nullable Long> ttl(String key) {
    return ttl(key, null);
  }

  @GenIgnore
  default Future<@Nullable Long> pttl(String key) {
    return pttl(key, null);
  }

  @GenIgnore
  default Future<Boolean> expire(String key, double timeout) {
    return expire(key, timeout, null);
  }

  @GenIgnore
  default Future<Boolean> pexpire(String key, long timeout) {
    return pexpire(key, timeout, null);
  }

  @GenIgnore
  default Future<Boolean> expireAt(String key, double when) {
    return expireAt(key, when, null);
  }

  @GenIgnore
  default Future<Boolean> pexpireAt(String key, long when) {
    return pexpireAt(key, when, null);
  }

  @GenIgnore
  default Future<Boolean> persist(String key) {
    return persist(key, null);
  }

  @GenIgnore
  default Future<@Nullable String> type(String key) {
    return type(key, null);
  }

  @GenIgnore
  default Future<List<String>> keys(String pattern) {
    return keys(pattern, null);
  }

  @GenIgnore
  default Future<List<String>> iterKeys(String pattern) {
    return iterKeys(pattern, null);
  }

  @GenIgnore
  default Future<Long> deletePattern(String pattern) {
    return deletePattern(pattern, null);
  }

  @GenIgnore
  default Future<Void> rename(String src, String dst) {
    return rename(src, dst, null, null);
  }

  @GenIgnore
  default Future<Boolean> renamenx(String src, String dst) {
    return renamenx(src, dst, null, null);
  }
}
