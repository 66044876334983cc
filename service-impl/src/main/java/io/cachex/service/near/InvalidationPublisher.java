package io.cachex.service.near;

import io.cachex.api.near.Invalidations;
import io.cachex.service.config.CachexConfig.NearCacheConfig;
import io.cachex.service.keys.KeyFunction;
import io.cachex.service.redis.RedisGateway;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Tells near caches which caller keys changed in Valkey/Redis, whoever wrote them. One tracking connection
 * per primary (the server, the Sentinel primary, every Redis Cluster primary), each in RESP2 with
 * {@code CLIENT TRACKING ON REDIRECT <its own id> BCAST PREFIX <key prefix>} and subscribed to
 * {@code __redis__:invalidate}: the server then sends the stored keys under the prefix that any client
 * modifies, and those that expire or are evicted. They are published, as caller keys, on the invalidation
 * address ({@link Invalidations}) so that every node's near caches get them.
 *
 * <p>Whenever an invalidation may have been missed (a connection lost or silent, the Sentinel primary or
 * the Cluster's primaries changed) the epoch changes: a flush is published, the connections are opened
 * again, and heartbeats carry the new epoch. A heartbeat is published every {@code heartbeatIntervalMs}
 * only after every tracking connection answered a PING sent after the previous one: the server sends the
 * invalidations of a connection in order before that reply, so a heartbeat means everything up to then was
 * handed over. Confined to the service's event loop.
 */
public final class InvalidationPublisher {
  private static final System.Logger LOG = System.getLogger(InvalidationPublisher.class.getName());
  static final String CHANNEL = "__redis__:invalidate";

  private final Vertx vertx;
  private final RedisGateway gateway;
  private final KeyFunction keys;
  private final NearCacheConfig config;
  private final long commandTimeoutMs;
  private final String source = UUID.randomUUID().toString();
  private final Map<RedisConnection, Tracking> connections = new IdentityHashMap<>();
  private final long timer;
  private long epoch;
  /** Counts losses, so that a connect that began before one is not used after it. */
  private long losses;
  private boolean connecting;
  private boolean closed;
  private long reconnectDelay;
  private int failuresInARow;

  /** A tracking connection's heartbeat state. */
  private static final class Tracking {
    /** When the outstanding PING was sent, or 0 when none is outstanding. */
    long pingSentAt;
    /** Whether a PONG came back since the last heartbeat was published. */
    boolean answered = true;
  }

  public InvalidationPublisher(Context context, RedisGateway gateway, KeyFunction keys, NearCacheConfig config) {
    this.vertx = context.owner();
    this.gateway = gateway;
    this.keys = keys;
    this.config = config;
    this.commandTimeoutMs = gateway.config().commandTimeoutMs;
    this.reconnectDelay = gateway.config().reconnectDelayMs;
    gateway.onTopologyChange(() -> lost("the Valkey/Redis topology changed"));
    this.timer = vertx.setPeriodic(config.heartbeatIntervalMs, id -> tick());
    connect();
  }

  /** This instance's id in every message it publishes. */
  public String source() {
    return source;
  }

  /** The current epoch (changes at every re-established tracking). */
  public long epoch() {
    return epoch;
  }

  /** Whether every tracking connection is up. */
  public boolean tracking() {
    return !connections.isEmpty();
  }

  private void connect() {
    if (connecting || closed || !connections.isEmpty()) {
      return;
    }
    connecting = true;
    long lossesAtStart = losses;
    gateway.connectionPerPrimary().compose(list -> {
      List<Future<RedisConnection>> enabled = new ArrayList<>();
      for (RedisConnection c : list) {
        enabled.add(enable(c));
      }
      return Future.all(enabled).map(all -> list).onFailure(err -> list.forEach(RedisGateway::discard));
    }).onComplete(ar -> {
      connecting = false;
      if (ar.failed()) {
        // said once per outage (a server that refuses CLIENT TRACKING would otherwise go unnoticed), then quietly
        LOG.log(failuresInARow++ == 0 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
            "cachex: near cache invalidations not established, near caches answer nothing from memory meanwhile: "
                + ar.cause().getMessage());
        retryLater();
        return;
      }
      failuresInARow = 0;
      if (closed || losses != lossesAtStart) {
        ar.result().forEach(RedisGateway::discard);
        retryLater();
        return;
      }
      epoch++;
      reconnectDelay = gateway.config().reconnectDelayMs;
      for (RedisConnection c : ar.result()) {
        connections.put(c, new Tracking());
      }
      // a new epoch: caches that knew the previous one flush when they see it
      publish(Invalidations.heartbeat(source, epoch, config.heartbeatIntervalMs));
    });
  }

  /** Turns tracking on for this connection, its invalidations redirected to itself, and subscribes. */
  private Future<RedisConnection> enable(RedisConnection c) {
    c.handler(r -> onFrame(c, r));
    c.exceptionHandler(err -> lostConnection(c, "tracking connection failed: " + err.getMessage()));
    c.endHandler(v -> lostConnection(c, "tracking connection closed"));
    return c.send(Request.cmd(Command.CLIENT).arg("ID")).compose(id -> {
      Request tracking = Request.cmd(Command.CLIENT).arg("TRACKING").arg("ON").arg("REDIRECT").arg(id.toLong()).arg("BCAST");
      String prefix = keys.trackingPrefix();
      if (prefix != null && !prefix.isEmpty()) {
        tracking.arg("PREFIX").arg(prefix);
      }
      return c.send(tracking);
    }).compose(ok -> c.send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL))).map(ok -> c);
  }

  /**
   * Every frame of a tracking connection. vertx-redis-client hands a RESP2 pub/sub message to the oldest
   * waiting command when one waits (our PING), so a PING's reply may be a message and the PONG then comes
   * through the handler: both paths end here and each frame is read for what it is.
   */
  private void onFrame(RedisConnection c, Response r) {
    if (r == null || r.type() != ResponseType.MULTI || r.size() < 2) {
      return;
    }
    String kind = r.get(0).toString();
    if ("pong".equalsIgnoreCase(kind)) {
      Tracking t = connections.get(c);
      if (t != null) {
        t.pingSentAt = 0;
        t.answered = true;
      }
      return;
    }
    if (!"message".equals(kind) || r.size() != 3 || !CHANNEL.equals(r.get(1).toString()) || !connections.containsKey(c)) {
      return;
    }
    Response payload = r.get(2);
    if (payload == null || payload.type() == ResponseType.BULK && payload.toBuffer() == null) {
      publish(Invalidations.flush(source, epoch, "the database was flushed"));
      return;
    }
    Set<String> changed = new LinkedHashSet<>();
    if (payload.type() == ResponseType.MULTI) {
      for (Response k : payload) {
        add(changed, k);
      }
    } else {
      add(changed, payload);
    }
    if (!changed.isEmpty()) {
      publish(Invalidations.invalidate(source, epoch, new JsonArray(new ArrayList<>(changed))));
    }
  }

  private void add(Set<String> changed, Response storedKey) {
    if (storedKey == null) {
      return;
    }
    String key = keys.reverseKey(storedKey.toString());
    if (key != null) {
      changed.add(key);
    }
  }

  private void tick() {
    if (closed) {
      return;
    }
    if (connections.isEmpty()) {
      connect();
      return;
    }
    long now = System.currentTimeMillis();
    boolean all = true;
    for (Map.Entry<RedisConnection, Tracking> e : connections.entrySet()) {
      Tracking t = e.getValue();
      if (t.pingSentAt != 0 && now - t.pingSentAt > Math.max(commandTimeoutMs, config.heartbeatIntervalMs)) {
        lost("a tracking connection did not answer PING within " + commandTimeoutMs + " ms");
        return;
      }
      all &= t.answered;
    }
    if (all) {
      publish(Invalidations.heartbeat(source, epoch, config.heartbeatIntervalMs));
    }
    for (Map.Entry<RedisConnection, Tracking> e : connections.entrySet()) {
      Tracking t = e.getValue();
      if (t.pingSentAt == 0) {
        t.pingSentAt = now;
        t.answered = false;
        RedisConnection c = e.getKey();
        c.send(Request.cmd(Command.PING)).onSuccess(reply -> onFrame(c, reply))
            .onFailure(err -> lostConnection(c, "PING failed: " + err.getMessage()));
      }
    }
  }

  private void lostConnection(RedisConnection c, String why) {
    if (connections.containsKey(c)) {
      lost(why);
    }
  }

  /** Any loss: flush every near cache, drop every tracking connection, open them again (a new epoch). */
  private void lost(String why) {
    losses++;
    if (connections.isEmpty()) {
      return; // not tracking: nothing published since the last flush, and the next tick or retry connects
    }
    LOG.log(System.Logger.Level.INFO, "cachex: near cache invalidations interrupted ({0}); caches flush", why);
    List<RedisConnection> old = new ArrayList<>(connections.keySet());
    connections.clear();
    old.forEach(RedisGateway::discard);
    publish(Invalidations.flush(source, epoch, why));
    retryLater();
  }

  private void retryLater() {
    if (closed) {
      return;
    }
    long delay = reconnectDelay;
    reconnectDelay = Math.min(gateway.config().maxReconnectDelayMs, Math.max(1, reconnectDelay * 2));
    vertx.setTimer(Math.max(1, delay), id -> connect());
  }

  private void publish(Object message) {
    vertx.eventBus().publish(config.invalidationAddress, message);
  }

  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(timer);
    if (!connections.isEmpty()) {
      publish(Invalidations.flush(source, epoch, "the service instance stopped"));
    }
    connections.keySet().forEach(RedisGateway::discard);
    connections.clear();
  }
}
