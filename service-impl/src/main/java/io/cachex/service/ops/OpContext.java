package io.cachex.service.ops;

import io.cachex.api.CachexError;
import io.cachex.api.ExpiryOptions;
import io.cachex.api.Stampede;
import io.cachex.api.contract.OperationException;
import io.cachex.service.codec.DecodeException;
import io.cachex.service.codec.JsonDepth;
import io.cachex.service.codec.ValueCodec;
import io.cachex.service.config.CachexConfig;
import io.cachex.service.dispatch.Cmd;
import io.cachex.service.dispatch.Plan;
import io.cachex.service.keys.KeyFunction;
import io.cachex.service.locks.Waiters;
import io.cachex.service.monitoring.OpObserver;
import io.cachex.service.redis.ClusterNodes;
import io.cachex.service.scripts.ScriptRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * What every operation's planner needs: the key function, the value codec, the configured defaults,
 * the topology, the service's shared state (named scripts, waiters) and where waits and lost leases
 * are reported. Planners are small functions from their arguments to a {@link Plan} over these; they
 * send nothing themselves.
 * <p>
 * One context per service instance; a pipeline plans its operations with {@link #forBatch}, whose
 * defaults differ (no default expiry, the pipeline's version), a batch with {@link #forCoalesced}.
 */
public final class OpContext {
  public final ValueCodec codec;
  public final KeyFunction keys;
  public final CachexConfig config;
  /** The expiry of writes that give no timeout (the configured default; never inside a pipeline). */
  public final Expiry defaultExpiry;
  /** The version of keys given without one (the configured version, or a pipeline's). */
  public final int defaultVersion;
  /** Whether operations are planned for a pipeline, transaction or batch (a plan that waits is refused there). */
  public final boolean batch;
  /** Whether reads serve values as they are, without stampede protection (pipelines and transactions). */
  public final boolean asIs;
  /** Redis Cluster helpers, or null when the server is not a cluster. */
  public final ClusterNodes cluster;
  public final ScriptRegistry scripts;
  public final Waiters waiters;
  public final OpObserver observer;

  public OpContext(ValueCodec codec, KeyFunction keys, CachexConfig config, ClusterNodes cluster, ScriptRegistry scripts,
                   Waiters waiters, OpObserver observer) {
    this(codec, keys, config, Expiry.ofSeconds(config.defaultTimeout), config.version, false, false, cluster, scripts, waiters, observer);
  }

  private OpContext(ValueCodec codec, KeyFunction keys, CachexConfig config, Expiry defaultExpiry, int defaultVersion,
                    boolean batch, boolean asIs, ClusterNodes cluster, ScriptRegistry scripts, Waiters waiters, OpObserver observer) {
    this.codec = codec;
    this.keys = keys;
    this.config = config;
    this.defaultExpiry = defaultExpiry;
    this.defaultVersion = defaultVersion;
    this.batch = batch;
    this.asIs = asIs;
    this.cluster = cluster;
    this.scripts = scripts;
    this.waiters = waiters;
    this.observer = observer;
  }

  /** The context of the operations of a pipeline: no default expiry (as in the reference), its version. */
  public OpContext forBatch(Integer version) {
    return new OpContext(codec, keys, config, Expiry.NEVER, version(version), true, true, cluster, scripts, waiters, observer);
  }

  /**
   * The context of the operations of a {@code batch} (calls that travel together): every default as
   * alone (expiry, version, stampede protection); only a form that would wait is refused.
   */
  public OpContext forCoalesced() {
    return new OpContext(codec, keys, config, defaultExpiry, defaultVersion, true, false, cluster, scripts, waiters, observer);
  }

  // ---- keys ----

  public int version(Integer version) {
    return version == null ? defaultVersion : version;
  }

  /** The stored key; rejects an over-long key. */
  public String key(String key, Integer version) {
    if (key.length() > config.limits.maxKeyLength) {
      throw new OperationException(CachexError.TOO_LARGE,
          "key of " + key.length() + " characters is over limits.maxKeyLength " + config.limits.maxKeyLength);
    }
    return keys.makeKey(key, version(version));
  }

  /** The stored keys of {@code keys}, each at {@code version}. */
  public List<String> keys(List<String> keys, Integer version) {
    List<String> stored = new ArrayList<>(keys.size());
    for (String k : keys) {
      stored.add(key(k, version));
    }
    return stored;
  }

  /** The caller's key of a stored key (the stored key itself if it is not one of ours). */
  public String callerKey(String storedKey) {
    String k = keys.reverseKey(storedKey);
    return k == null ? storedKey : k;
  }

  /**
   * One command per group of {@code storedKeys} that can share a multi-key command: per hash slot on
   * Redis Cluster (which refuses cross-slot commands), else all in one. {@code build} gets the
   * indexes of one group.
   */
  public List<List<Integer>> slotGroups(List<String> storedKeys) {
    if (cluster == null) {
      List<Integer> all = new ArrayList<>(storedKeys.size());
      for (int i = 0; i < storedKeys.size(); i++) {
        all.add(i);
      }
      return List.of(all);
    }
    return new ArrayList<>(ClusterNodes.bySlot(storedKeys).values());
  }

  /** {@code command key...} for each slot group of {@code storedKeys} (MGET, DEL, UNLINK...). */
  public static List<Cmd> keysPerSlot(Command command, List<String> storedKeys, List<List<Integer>> groups) {
    List<Cmd> cmds = new ArrayList<>(groups.size());
    for (List<Integer> g : groups) {
      Request r = Request.cmd(command);
      g.forEach(i -> r.arg(storedKeys.get(i)));
      cmds.add(Cmd.of(r));
    }
    return cmds;
  }

  /** The stampede policy of a call that chose {@code choice} (null: the configured one); null when off. */
  public StampedePolicy stampede(Stampede choice) {
    return StampedePolicy.resolve(choice, config.stampede);
  }

  /** The policy a read applies: none inside a pipeline or transaction, which serve values as they are. */
  public StampedePolicy readPolicy(Stampede choice) {
    StampedePolicy policy = stampede(choice);
    return asIs ? null : policy;
  }

  /** The expiry a write stores: its timeout (absent: the default), plus the buffer when stampede protection is on. */
  public Expiry writeExpiry(ExpiryOptions options, Stampede choice) {
    Expiry expiry = Expiry.from(options, defaultExpiry);
    StampedePolicy policy = stampede(choice);
    return policy == null ? expiry : policy.stored(expiry);
  }

  // ---- values ----

  /** The value inside a wire box {@code [value]} (already checked to hold one element). */
  public static Object unbox(JsonArray box) {
    return box.getValue(0);
  }

  /** The stored form of a value; rejects one over {@code limits.maxValueBytes} or nested too deep. */
  public Buffer encode(Object value) {
    if (JsonDepth.exceeds(value, JsonDepth.MAX)) {
      throw OperationException.invalid("the value nests objects and arrays deeper than " + JsonDepth.MAX + " levels");
    }
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

  /** Refuses, inside a pipeline or transaction, a form of an operation that would wait. */
  public void refuseWaitingInBatch(String why) {
    if (batch) {
      throw new OperationException(CachexError.NOT_SUPPORTED, why + " cannot run inside a pipeline or transaction");
    }
  }
}
