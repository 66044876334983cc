package io.cachex.service.redis;

import io.cachex.api.contract.OperationException;
import io.cachex.api.CachexError;
import io.cachex.service.config.CachexConfig.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How the service talks to Valkey/Redis. Ordinary commands go round-robin over a few pipelined
 * connections ({@link PipelinedLane}); blocking commands and transactions take a connection of
 * their own from a pool, so that a caller waiting on an empty list never delays anyone else.
 * Under Sentinel both go to the node a {@link SentinelWatch} names and leave it the moment a
 * failover begins; on Redis Cluster a {@link ClusterWatch} renews the slot map when primaries change.
 * Created and used on one verticle's event loop.
 */
public final class RedisGateway {
  private static final System.Logger LOG = System.getLogger(RedisGateway.class.getName());

  private final Vertx vertx;
  private final RedisConfig config;
  private Redis commandClient;
  private Redis dedicatedClient;
  private final PipelinedLane[] lanes;
  private final ClusterNodes cluster;
  private final SentinelWatch sentinels;
  private final PrimaryConnector laneConnector;
  private final PrimaryConnector dedicatedConnector;
  private final ClusterWatch clusterWatch;
  private final ReplicaAcks acks;
  private final Redis sentinelView = new Redis() {
    @Override
    public Future<RedisConnection> connect() {
      return dedicatedConnector.connect();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture(); // owned by the gateway
    }

    @Override
    public Future<Response> send(Request command) {
      return RedisGateway.this.send(command);
    }

    @Override
    public Future<List<Response>> batch(List<Request> commands) {
      return RedisGateway.this.batch(commands);
    }
  };
  /** Dedicated connections lent out right now; a failover fails their work. */
  private final Map<RedisConnection, String> lentOut = new IdentityHashMap<>();
  private final List<Runnable> topologyListeners = new ArrayList<>();
  private final long sweepTimer;
  private int next;
  private int subscriberRotation;

  public RedisGateway(Vertx vertx, RedisConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.acks = ReplicaAcks.of(config.replicaAcks, config.replicaAckTimeoutMs);
    boolean sentinel = "sentinel".equalsIgnoreCase(config.type);
    // one pooled connection per lane, plus slack so a connection being replaced never blocks its successor
    int lanePool = config.connections + 2;
    if (sentinel) {
      this.sentinels = new SentinelWatch(vertx, config, new SentinelWatch.Listener() {
        @Override
        public void failoverStarted(String why) {
          leaveNode(why, null);
        }

        @Override
        public void nodeChanged(String endpoint, String why) {
          leaveNode(why, endpoint);
        }
      });
      this.laneConnector = new PrimaryConnector(vertx, config, sentinels, lanePool, config.maxInFlight);
      this.dedicatedConnector = new PrimaryConnector(vertx, config, sentinels, config.blockingConnections, 100_000);
    } else {
      this.sentinels = null;
      this.laneConnector = null;
      this.dedicatedConnector = null;
      this.commandClient = Redis.createClient(vertx, options(config, lanePool, config.maxInFlight));
      // a waiting queue no smaller than the pool (the Sentinel client refuses "unbounded" -1)
      this.dedicatedClient = Redis.createClient(vertx, options(config, config.blockingConnections, 100_000));
    }
    Connector lanesConnect = sentinel ? laneConnector : () -> commandClient.connect();
    this.lanes = new PipelinedLane[config.connections];
    int perLane = Math.max(1, config.maxInFlight / config.connections);
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new PipelinedLane(vertx, lanesConnect, acks, config.commandTimeoutMs, config.connectTimeoutMs, perLane,
          config.reconnectDelayMs, config.maxReconnectDelayMs);
    }
    this.cluster = "cluster".equalsIgnoreCase(config.type) ? new ClusterNodes(vertx, config, this) : null;
    // the watch asks through node connections of its own: warm connections in the pool that SCAN uses would
    // change how a SCAN races the commands a lane still holds in its write buffer
    this.clusterWatch = cluster == null ? null
        : new ClusterWatch(vertx, config, new ClusterNodes(vertx, config, this), this::renewClusterClients);
    long sweepEvery = Math.max(10, Math.min(250, config.commandTimeoutMs / 4));
    this.sweepTimer = vertx.setPeriodic(sweepEvery, id -> {
      long now = System.currentTimeMillis();
      for (PipelinedLane lane : lanes) {
        lane.expireOverdue(now);
      }
    });
  }

  /**
   * Sentinel: stop using the current node. Replies still due from it fail (their writes may be wiped
   * by the failover), commands not yet sent wait for the new node ({@code next}, or whichever the
   * sentinels name once the failover ends).
   */
  private void leaveNode(String why, String next) {
    for (PipelinedLane lane : lanes) {
      lane.failover(why);
    }
    for (RedisConnection c : new ArrayList<>(lentOut.keySet())) {
      lentOut.put(c, why);
      PipelinedLane.discard(c);
    }
    if (next != null) {
      laneConnector.keepOnly(next);
      dedicatedConnector.keepOnly(next);
    }
    topologyListeners.forEach(Runnable::run);
  }

  /**
   * Redis Cluster primaries changed: new clients start from a fresh slot map (the client offers no
   * way to drop its cached one); lanes move to them and the old clients close once their replies are due.
   */
  private void renewClusterClients(String shape) {
    Redis oldCommands = commandClient;
    Redis oldDedicated = dedicatedClient;
    commandClient = Redis.createClient(vertx, options(config, config.connections + 2, config.maxInFlight));
    dedicatedClient = Redis.createClient(vertx, options(config, config.blockingConnections, 100_000));
    for (PipelinedLane lane : lanes) {
      lane.retire();
    }
    vertx.setTimer(Math.max(config.commandTimeoutMs, 1_000) + 2_000, id -> {
      oldCommands.close();
      oldDedicated.close();
    });
    topologyListeners.forEach(Runnable::run);
  }

  /** Client options for this config: the topology, credentials and bounds every connection of ours uses. */
  public static RedisOptions options(RedisConfig c, int poolSize, int poolWaiting) {
    RedisOptions o = new RedisOptions()
        .setType(RedisClientType.valueOf(c.type.toUpperCase(Locale.ROOT)))
        .setMasterName(c.masterName)
        .setRole(RedisRole.valueOf(c.role.toUpperCase(Locale.ROOT)))
        .setUseReplicas(RedisReplicas.valueOf(c.useReplicas.toUpperCase(Locale.ROOT)))
        // RESP2 replies have one shape on every server version we support (6.2 to Valkey 8)
        .setPreferredProtocolVersion(ProtocolVersion.RESP2)
        .setMaxWaitingHandlers(Math.max(2048, c.maxInFlight))
        .setMaxPoolSize(poolSize)
        .setMaxPoolWaiting(poolWaiting)
        .setNetClientOptions(netOptions(c));
    o.setEndpoints(new ArrayList<>(c.endpoints.isEmpty() ? List.of("redis://127.0.0.1:6379") : c.endpoints));
    if (c.user != null) {
      o.setUser(c.user);
    }
    if (c.password != null) {
      o.setPassword(c.password);
    }
    return o;
  }

  /**
   * TCP and TLS settings. TLS itself is switched on per endpoint by the {@code rediss://} scheme; these
   * say whom to trust ({@code redis.tls.caFile}, else the JVM's trust store) and whether the certificate
   * must name the endpoint's host ({@code redis.tls.hostnameVerification}, on by default).
   */
  public static NetClientOptions netOptions(RedisConfig c) {
    NetClientOptions net = new NetClientOptions()
        .setConnectTimeout((int) c.connectTimeoutMs)
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true)
        .setHostnameVerificationAlgorithm(c.tlsHostnameVerification ? "HTTPS" : "");
    if (c.tlsCaFile != null) {
      net.setTrustOptions(new PemTrustOptions().addCertPath(c.tlsCaFile));
    }
    return net;
  }

  /** Sends one command on a pipelined connection. */
  public Future<Response> send(Request request) {
    return lane().send(request);
  }

  /**
   * Sends the commands back to back on ONE pipelined connection (so Redis runs them in this order,
   * in one round trip), each with its own reply: unlike {@link #batch}, one failing command fails
   * only its own future.
   */
  public List<Future<Response>> sendAll(List<Request> requests) {
    PipelinedLane lane = lane();
    List<Future<Response>> replies = new ArrayList<>(requests.size());
    for (Request r : requests) {
      replies.add(lane.send(r));
    }
    return replies;
  }

  /** Sends commands in one write on one pipelined connection; fails as a whole if one fails. */
  public Future<List<Response>> batch(List<Request> requests) {
    return lane().batch(requests);
  }

  /**
   * Sends a blocking command (BLPOP...) on a connection of its own; {@code timeoutMs} bounds the
   * whole call and should exceed the command's own server-side timeout.
   */
  public Future<Response> sendBlocking(Request request, long timeoutMs) {
    return withDedicatedConnection(c -> c.send(request), timeoutMs);
  }

  /**
   * Runs {@code work} on a connection nobody else uses (transactions, blocking commands), then returns it.
   * {@code timeoutMs} bounds everything the call waits for: borrowing or opening the connection, sending,
   * the reply. A connection whose work timed out is discarded, never returned to the pool (it may still
   * carry our commands, and a stalled server would hand its late replies to the next borrower).
   * A failover while the work runs fails it with UNAVAILABLE (its outcome on the old primary is unknown);
   * with {@code redis.replicaAcks} its result counts only once the replicas confirm it.
   */
  public <T> Future<T> withDedicatedConnection(java.util.function.Function<RedisConnection, Future<T>> work, long timeoutMs) {
    Promise<T> result = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, id -> result.tryFail(new OperationException(CachexError.TIMEOUT,
        "no reply from Valkey/Redis within " + timeoutMs + " ms (the command may or may not have been applied)")));
    Future<RedisConnection> connection = sentinels != null ? dedicatedConnector.connect() : dedicatedClient.connect();
    connection.onComplete(conn -> {
      if (conn.failed()) {
        vertx.cancelTimer(timer);
        Throwable err = conn.cause();
        result.tryFail(err instanceof OperationException ? err : new OperationException(
            CachexError.UNAVAILABLE, "cannot connect to Valkey/Redis: " + PipelinedLane.describe(err)));
        return;
      }
      RedisConnection c = conn.result();
      if (result.future().isComplete()) {
        c.close(); // the deadline passed while we waited for it: unused, so it may go back to the pool
        return;
      }
      lentOut.put(c, "");
      // on timeout the work may never complete (a stalled server): let go of the connection now
      result.future().onFailure(err -> {
        if (lentOut.remove(c) != null) {
          PipelinedLane.discard(c);
        }
      });
      Future<T> done;
      try {
        done = work.apply(c);
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      if (acks != null) {
        done = done.compose(value -> c.send(acks.waitRequest()).transform(ar -> {
          OperationException unconfirmed = acks.check(ar.result(), ar.cause());
          return unconfirmed == null ? Future.succeededFuture(value) : Future.<T>failedFuture(unconfirmed);
        }));
      }
      done.onComplete(ar -> {
        vertx.cancelTimer(timer);
        String failover = lentOut.remove(c);
        if (failover == null) {
          return; // timed out (and discarded) or failed over already
        }
        c.close();
        if (!failover.isEmpty()) {
          result.tryFail(new OperationException(CachexError.UNAVAILABLE, "failover (" + failover
              + "): the work ran on the previous primary and may or may not have been applied"));
        } else if (ar.succeeded()) {
          result.tryComplete(ar.result());
        } else {
          result.tryFail(ar.cause());
        }
      });
    });
    return result.future();
  }

  /**
   * A connection for a pub/sub subscriber: under Sentinel to the current primary (where scripts publish),
   * on Cluster to any node (PUBLISH reaches every node), else to the server.
   */
  public Future<RedisConnection> subscriberConnection() {
    if (sentinels != null) {
      return dedicatedConnector.connect();
    }
    if (cluster != null && !config.endpoints.isEmpty()) {
      return cluster.connectTo(config.endpoints.get(subscriberRotation++ % config.endpoints.size()));
    }
    return dedicatedClient.connect();
  }

  /**
   * One connection of its own to every node that holds our keys: the primaries of a Redis Cluster (read
   * from {@code CLUSTER SLOTS}), else the one {@link #subscriberConnection()} connects to (under Sentinel
   * the current, ROLE-checked primary). For connections that change state (client tracking, pub/sub);
   * let go of them with {@link #discard}.
   */
  public Future<List<RedisConnection>> connectionPerPrimary() {
    if (cluster == null) {
      return subscriberConnection().map(List::of);
    }
    return send(ClusterNodes.slotsRequest()).map(ClusterNodes::primaries).compose(primaries -> {
      List<Future<RedisConnection>> each = new ArrayList<>();
      for (String p : primaries) {
        each.add(cluster.connectTo(p));
      }
      return Future.join(each).transform(ar -> {
        List<RedisConnection> open = new ArrayList<>();
        each.forEach(f -> {
          if (f.succeeded()) {
            open.add(f.result());
          }
        });
        if (ar.failed()) {
          open.forEach(RedisGateway::discard);
          return Future.failedFuture(ar.cause());
        }
        return Future.succeededFuture(open);
      });
    });
  }

  /** Lets go of a connection whose state changed (subscribed, tracking): it is closed, never pooled again. */
  public static void discard(RedisConnection c) {
    PipelinedLane.discard(c);
  }

  /** Runs {@code listener} whenever the node or slot map in use changes (subscribers move with it). */
  public void onTopologyChange(Runnable listener) {
    topologyListeners.add(listener);
  }

  /** Redis Cluster helpers, or null when the server is not a cluster. */
  public ClusterNodes cluster() {
    return cluster;
  }

  /**
   * The underlying client, for topology helpers (cluster node fan-out). Under Sentinel a view of this
   * gateway: connections come from the watched, ROLE-checked primary and commands go through the lanes.
   */
  public Redis client() {
    return sentinels == null ? commandClient : sentinelView;
  }

  public RedisConfig config() {
    return config;
  }

  /** Replies awaited across all pipelined connections. */
  public int inFlight() {
    int n = 0;
    for (PipelinedLane lane : lanes) {
      n += lane.inFlight();
    }
    return n;
  }

  private PipelinedLane lane() {
    if (lanes.length == 1) {
      return lanes[0];
    }
    int i = next++;
    if (next == lanes.length) {
      next = 0;
    }
    return lanes[i];
  }

  public Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    if (clusterWatch != null) {
      clusterWatch.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (sentinels != null) {
      sentinels.close();
    }
    List<Future<?>> closing = new ArrayList<>();
    for (PipelinedLane lane : lanes) {
      closing.add(lane.close());
    }
    return Future.join(closing).eventually(() -> {
      if (sentinels != null) {
        laneConnector.close();
        dedicatedConnector.close();
      } else {
        commandClient.close();
        dedicatedClient.close();
      }
      return Future.succeededFuture();
    }).mapEmpty();
  }
}
