package io.cachex.service.ops;

import io.cachex.api.CachexError;
import io.cachex.service.codec.DecodeException;
import io.cachex.service.codec.ValueCodec;
import io.cachex.service.config.CachexConfig;
import io.cachex.service.keys.KeyFunction;
import io.cachex.service.monitoring.OpObserver;
import io.cachex.service.redis.ClusterNodes;
import io.cachex.service.redis.CommandSender;
import io.cachex.service.redis.OperationException;
import io.cachex.service.redis.RedisFailures;
import io.cachex.service.redis.RedisGateway;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What every operation needs: the gateway to Redis, the key function, the value codec, the
 * configured defaults, and one wrapper ({@link #op}) that gives every failure its code, operation
 * name and key. Facet implementations are small functions over these.
 */
public final class Ops {
  private static final System.Logger LOG = System.getLogger("io.cachex.service");

  /**
   * The gateway itself, for what a pipeline cannot hold (blocking commands, dedicated connections).
   * Everything else should go through {@link #send}, so that pipelines can record it.
   */
  public final RedisGateway redis;
  /** Where {@link #send} goes: the gateway, or a pipeline's recorder. */
  public final CommandSender sender;
  public final ValueCodec codec;
  public final KeyFunction keys;
  public final CachexConfig config;
  /** The expiry of writes that give no timeout (the configured default; never inside a pipeline). */
  public final Expiry defaultExpiry;
  /** The version of keys given without one (the configured version, or a pipeline's). */
  public final int defaultVersion;
  public final OpObserver observer;

  public Ops(RedisGateway redis, ValueCodec codec, KeyFunction keys, CachexConfig config) {
    this(redis, codec, keys, config, OpObserver.NONE);
  }

  public Ops(RedisGateway redis, ValueCodec codec, KeyFunction keys, CachexConfig config, OpObserver observer) {
    this(redis, redis, codec, keys, config, Expiry.ofSeconds(config.defaultTimeout), config.version, observer);
  }

  private Ops(RedisGateway redis, CommandSender sender, ValueCodec codec, KeyFunction keys, CachexConfig config,
              Expiry defaultExpiry, int defaultVersion, OpObserver observer) {
    this.redis = redis;
    this.sender = sender;
    this.codec = codec;
    this.keys = keys;
    this.config = config;
    this.observer = observer;
    this.defaultExpiry = defaultExpiry;
    this.defaultVersion = defaultVersion;
  }

  /** The same context sending through {@code sender}, with other defaults (pipelines). */
  public Ops withSender(CommandSender sender, Expiry defaultExpiry, int defaultVersion) {
    return new Ops(redis, sender, codec, keys, config, defaultExpiry, defaultVersion, observer);
  }

  /**
   * Runs one operation. Exceptions thrown while preparing it (bad arguments) and failures of the
   * returned future (server errors, timeouts, undecodable values) become ServiceExceptions with a
   * stable code naming {@code op} and {@code key}.
   */
  public <T> Future<T> op(String op, String key, Supplier<Future<T>> body) {
    long start = observer == OpObserver.NONE ? 0 : System.nanoTime();
    Future<T> result;
    try {
      result = body.get().recover(err -> Future.failedFuture(RedisFailures.translate(op, key, err)));
    } catch (RuntimeException e) {
      result = Future.failedFuture(RedisFailures.translate(op, key, e));
    }
    if (config.ignoreExceptions && ReadDefaults.of(op) != null) {
      result = ignoringUnavailable(op, key, result);
    }
    if (observer != OpObserver.NONE) {
      result.onComplete(ar -> {
        CachexError code = ar.failed() ? CachexError.of(ar.cause()) : null;
        observer.completed(op, System.nanoTime() - start, ar.failed() ? (code == null ? "INTERNAL" : code.name()) : null, ar.result());
      });
    }
    return result;
  }

  /** With {@code ignoreExceptions}: a read that cannot reach Valkey/Redis answers as for a missing key. */
  @SuppressWarnings("unchecked")
  private <T> Future<T> ignoringUnavailable(String op, String key, Future<T> result) {
    return result.recover(err -> {
      CachexError code = CachexError.of(err);
      if (code != CachexError.UNAVAILABLE && code != CachexError.TIMEOUT) {
        return Future.failedFuture(err);
      }
      if (config.logIgnoredExceptions) {
        LOG.log(System.Logger.Level.WARNING, "ignoreExceptions: " + op + (key == null ? "" : "(" + key + ")")
            + " answered its default: " + err.getMessage());
      }
      return Future.succeededFuture((T) ReadDefaults.of(op).get());
    });
  }

  public Future<Response> send(Request request) {
    return sender.send(request);
  }

  /**
   * MGET with the replies aligned to {@code storedKeys}. On Redis Cluster one MGET per hash slot:
   * the client would split a cross-slot MGET itself but merges the parts in no defined order.
   */
  public Future<Response[]> mget(List<String> storedKeys) {
    Response[] values = new Response[storedKeys.size()];
    List<List<Integer>> groups = slotGroups(storedKeys);
    List<Future<Response>> parts = new ArrayList<>(groups.size());
    for (List<Integer> group : groups) {
      Request mget = Request.cmd(Command.MGET);
      group.forEach(i -> mget.arg(storedKeys.get(i)));
      parts.add(send(mget));
    }
    return Future.all(parts).map(all -> {
      for (int g = 0; g < groups.size(); g++) {
        Response reply = all.resultAt(g);
        List<Integer> group = groups.get(g);
        for (int j = 0; j < group.size(); j++) {
          values[group.get(j)] = reply.get(j);
        }
      }
      return values;
    });
  }

  /**
   * The indexes of {@code storedKeys} grouped so that each group can go in one multi-key command:
   * by hash slot on Redis Cluster (which refuses cross-slot commands), else one group of all.
   */
  public List<List<Integer>> slotGroups(List<String> storedKeys) {
    if (redis.cluster() == null) {
      List<Integer> all = new ArrayList<>(storedKeys.size());
      for (int i = 0; i < storedKeys.size(); i++) {
        all.add(i);
      }
      return List.of(all);
    }
    return new ArrayList<>(ClusterNodes.bySlot(storedKeys).values());
  }

  // ---- keys ----

  public int version(Integer version) {
    return version == null ? defaultVersion : version;
  }

  /** The stored key; rejects a missing, empty or over-long key. */
  public String key(String key, Integer version) {
    requireKey(key, "key");
    if (key.length() > config.limits.maxKeyLength) {
      throw new OperationException(CachexError.TOO_LARGE,
          "key of " + key.length() + " characters is over limits.maxKeyLength " + config.limits.maxKeyLength);
    }
    return keys.makeKey(key, version(version));
  }

  public static void requireKey(String key, String field) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("field '" + field + "' must be a non-empty string");
    }
  }

  /** The caller's key of a stored key (the stored key itself if it is not one of ours). */
  public String callerKey(String storedKey) {
    String k = keys.reverseKey(storedKey);
    return k == null ? storedKey : k;
  }

  // ---- values ----

  /** The value inside a wire box {@code [value]}. */
  public static Object unbox(JsonArray box, String field) {
    if (box == null || box.size() != 1) {
      throw new IllegalArgumentException("field '" + field + "' must be a one-element array [value]");
    }
    return box.getValue(0);
  }

  /** The stored form of a value; rejects one over {@code limits.maxValueBytes}. */
  public Buffer encode(Object value) {
    Buffer encoded = codec.encode(value);
    if (encoded.length() > config.limits.maxValueBytes) {
      throw new OperationException(CachexError.TOO_LARGE,
          "value of " + encoded.length() + " bytes (stored form) is over limits.maxValueBytes " + config.limits.maxValueBytes);
    }
    return encoded;
  }

  /** Decodes a bulk reply; nil stays null. */
  public Object decode(Response response) {
    if (response == null) {
      return null;
    }
    try {
      return codec.decode(response.toBuffer());
    } catch (DecodeException e) {
      throw new OperationException(CachexError.DECODE_FAILED, "stored value cannot be decoded: " + e.getMessage());
    }
  }

  /** Decodes every element of an array reply into a JSON array (nil elements stay null). */
  public JsonArray decodeAll(Response response) {
    JsonArray out = new JsonArray();
    if (response != null) {
      for (Response r : response) {
        out.add(decode(r));
      }
    }
    return out;
  }

  public static JsonObject options(io.cachex.api.ExpiryOptions options) {
    return options == null ? null : options.toJson();
  }

  /** An integer option of an options object, or null. */
  public static Integer intOption(JsonObject options, String name) {
    Object v = options == null ? null : options.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number) || ((Number) v).doubleValue() != Math.rint(((Number) v).doubleValue())) {
      throw new IllegalArgumentException("field '" + name + "' must be an integer");
    }
    return ((Number) v).intValue();
  }

  /** A boolean option of an options object, false when absent. */
  public static boolean flag(JsonObject options, String name) {
    Object v = options == null ? null : options.getValue(name);
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean)) {
      throw new IllegalArgumentException("field '" + name + "' must be true or false");
    }
    return (Boolean) v;
  }
}
