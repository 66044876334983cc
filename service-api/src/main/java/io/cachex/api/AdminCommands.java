package io.cachex.api;

import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.annotations.Nullable;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static io.cachex.api.Action.Access.READ;
import static io.cachex.api.Action.Access.WRITE;
import static io.cachex.api.Action.Batch.NONE;
import static io.cachex.api.Action.Batch.PIPELINE;
import static io.cachex.api.JsonValues.box;

/**
 * What an operator's tool needs beyond the cache methods (the admin UI uses them): a key browser page
 * with each key's type, TTL and size, one key's metadata with a fingerprint of its value, a
 * compare-and-set on that fingerprint, and the server's info and slowlog. Keys are the caller's
 * (prefix and version understood). All of them are restricted for bridge clients.
 */
@VertxGen(concrete = false)
public interface AdminCommands {

  /**
   * One SCAN step with each key's metadata: {@code {"cursor": "<next>", "keys": [{"key", "type",
   * "ttl" (ms, null: no expiry), "size"}]}}. {@code pattern} defaults to {@code "*"}; {@code type}
   * ({@code string}, {@code hash}, {@code list}, {@code set}, {@code zset}, {@code stream}) keeps
   * only keys of that type; {@code count} is SCAN's COUNT hint (default 100, at most 1000). A page may
   * hold no key while the cursor is not {@code "0"}. Cursors are those of {@link KeyCommands#scan}.
   */
  @Action(access = READ, unavailable = "{\"cursor\": \"0\", \"keys\": []}", batch = PIPELINE, restricted = true)
  Future<JsonObject> browseKeys(@Nullable String cursor, @Nullable String pattern, @Nullable String type, @Nullable Integer count,
                                @Nullable Integer version);

  /**
   * One key, read in one atomic step: {@code {"key", "type", "ttl" (ms, null: no expiry), "size",
   * "fingerprint"}}. The fingerprint (for {@link #replaceIfUnchanged}) is the SHA-1 of a string's stored
   * bytes, or of a whole hash, list, set or sorted set of at most 10,000 items (absent for larger ones and
   * streams). A string also has {@code "value"} decoded, or {@code "undecodable"} (why no codec reads it)
   * and {@code "preview"} (the first stored bytes, escaped). Null when missing.
   */
  @Action(access = READ, unavailable = "null", restricted = true)
  Future<@Nullable JsonObject> inspectKey(String key, @Nullable Integer version);

  /**
   * Replaces a key only when it is still of {@code type} (default {@code string}) with the content
   * {@code fingerprint} describes (as {@link #inspectKey} reported it), keeping its TTL. The boxed value
   * is the new content: any value for a string, an object of field → value for a hash, an array of
   * elements for a list or of members for a set, an array of {@code [member, score]} for a sorted set (an
   * empty collection deletes the key). The fingerprint of forty zeros stands for a key that does not
   * exist: the key is then created (without a TTL) only if absent. True when written; false when the key
   * changed, expired, is of another type or (creating) exists (nothing is written).
   */
  @Action(access = WRITE, restricted = true)
  Future<Boolean> replaceIfUnchanged(String key, String fingerprint, @Nullable String type, @Nullable Integer version, JsonArray value);

  /**
   * The server's {@code INFO} as {@code {"info": {"<section>": {"<field>": "<value>"}}, "slowlog":
   * [{"id", "time" (Unix seconds), "micros", "command": [...], "client"}]}}, the newest
   * {@code slowlogCount} (default 20, at most 128) slowlog entries. On Redis Cluster: the first primary's.
   */
  @Action(access = READ, unavailable = "{}", batch = NONE, restricted = true)
  Future<JsonObject> serverInfo(@Nullable Integer slowlogCount);

  /**
   * One SCAN step over the locks ({@code kind} {@code "lock"}) or semaphores ({@code "semaphore"}) currently
   * held at the version: {@code {"cursor": "<next>", "leases": [...]}}, a lock as {@code {"name",
   * "fencingToken", "ttl" (ms)}}, a semaphore as {@code {"name", "units", "claims": [{"weight", "ttl"}]}}.
   * Never the lease tokens (they are what proves ownership). {@code count} as in {@link #browseKeys}.
   */
  @Action(access = READ, unavailable = "{\"cursor\": \"0\", \"leases\": []}", batch = PIPELINE, restricted = true)
  Future<JsonObject> heldLeases(String kind, @Nullable String cursor, @Nullable Integer count, @Nullable Integer version);

  // ---- Java conveniences (run in the caller) ----

  @GenIgnore
  default Future<@Nullable JsonObject> inspectKey(String key) {
    return inspectKey(key, null);
  }

  /** A JsonArray argument is one value, never unboxed. */
  @GenIgnore
  default Future<Boolean> replaceIfUnchanged(String key, String fingerprint, Object value) {
    return replaceIfUnchanged(key, fingerprint, null, null, box(value));
  }
}
