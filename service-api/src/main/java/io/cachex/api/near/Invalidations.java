package io.cachex.api.near;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The messages a service publishes on its invalidation address for near caches (docs/PROTOCOL.md,
 * "Invalidations"), one JSON object each:
 * <ul>
 *   <li>{@code {"type":"invalidate","source":S,"epoch":E,"keys":["user:42",...]}}: these caller keys
 *   (prefix and version stripped; every version of them) changed or expired in Valkey/Redis;</li>
 *   <li>{@code {"type":"flush","source":S,"epoch":E,"cause":"..."}}: anything may have changed (the
 *   database was flushed, the tracking connection was lost, the topology changed);</li>
 *   <li>{@code {"type":"heartbeat","source":S,"epoch":E,"intervalMs":N}}: source S still delivers
 *   everything since epoch E began; sent every N ms after the server answered on every tracking connection.</li>
 * </ul>
 * A source is one service instance; its epoch changes whenever it may have missed an invalidation, so a
 * near cache that sees a known source with another epoch flushes.
 */
public final class Invalidations {
  public static final String TYPE = "type";
  public static final String INVALIDATE = "invalidate";
  public static final String FLUSH = "flush";
  public static final String HEARTBEAT = "heartbeat";
  public static final String SOURCE = "source";
  public static final String EPOCH = "epoch";
  public static final String KEYS = "keys";
  public static final String CAUSE = "cause";
  public static final String INTERVAL_MS = "intervalMs";
  /** The invalidation address of a service at {@code serviceAddress} unless configured otherwise. */
  public static final String ADDRESS_SUFFIX = ".invalidations";

  private Invalidations() {
  }

  public static JsonObject invalidate(String source, long epoch, JsonArray keys) {
    return new JsonObject().put(TYPE, INVALIDATE).put(SOURCE, source).put(EPOCH, epoch).put(KEYS, keys);
  }

  public static JsonObject flush(String source, long epoch, String cause) {
    return new JsonObject().put(TYPE, FLUSH).put(SOURCE, source).put(EPOCH, epoch).put(CAUSE, cause);
  }

  public static JsonObject heartbeat(String source, long epoch, long intervalMs) {
    return new JsonObject().put(TYPE, HEARTBEAT).put(SOURCE, source).put(EPOCH, epoch).put(INTERVAL_MS, intervalMs);
  }
}
