package io.cachex.service.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Django's {@code IGNORE_EXCEPTIONS}: what a read answers when Valkey/Redis is unreachable and the
 * service is configured to ignore that: what the same read answers for a missing key. Writes are
 * not listed and always fail.
 */
final class ReadDefaults {
  private static final Supplier<Object> NULL = () -> null;
  private static final Supplier<Object> EMPTY_OBJECT = JsonObject::new;
  private static final Supplier<Object> EMPTY_ARRAY = JsonArray::new;
  private static final Supplier<Object> EMPTY_LIST = List::of;
  private static final Supplier<Object> FALSE = () -> false;
  private static final Supplier<Object> ZERO = () -> 0L;

  private static final Map<String, Supplier<Object>> DEFAULTS = Map.ofEntries(
      Map.entry("get", NULL), Map.entry("getMany", EMPTY_OBJECT), Map.entry("hasKey", FALSE),
      Map.entry("ttl", NULL), Map.entry("pttl", NULL), Map.entry("type", NULL),
      Map.entry("keys", EMPTY_LIST), Map.entry("iterKeys", EMPTY_LIST),
      Map.entry("hget", NULL), Map.entry("hgetall", EMPTY_OBJECT), Map.entry("hkeys", EMPTY_LIST),
      Map.entry("hvals", EMPTY_ARRAY), Map.entry("hexists", FALSE), Map.entry("hlen", ZERO),
      Map.entry("smembers", EMPTY_ARRAY), Map.entry("sismember", FALSE), Map.entry("scard", ZERO),
      Map.entry("srandmember", NULL), Map.entry("sscanIter", EMPTY_ARRAY),
      Map.entry("zcard", ZERO), Map.entry("zcount", ZERO), Map.entry("zscore", NULL),
      Map.entry("zrank", NULL), Map.entry("zrevrank", NULL), Map.entry("zrange", EMPTY_ARRAY),
      Map.entry("zrevrange", EMPTY_ARRAY), Map.entry("zrangebyscore", EMPTY_ARRAY),
      Map.entry("zrevrangebyscore", EMPTY_ARRAY),
      Map.entry("llen", ZERO), Map.entry("lindex", NULL), Map.entry("lrange", EMPTY_ARRAY));

  private ReadDefaults() {
  }

  /** The default answer of read {@code op}, or null when {@code op} is not such a read. */
  static Supplier<Object> of(String op) {
    return DEFAULTS.get(op);
  }
}
