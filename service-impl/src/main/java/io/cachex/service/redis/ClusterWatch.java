package io.cachex.service.redis;

import io.cachex.service.config.CachexConfig.RedisConfig;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Redis Cluster pushes no topology change to clients, and vertx-redis-client refreshes its slot map
 * only when a command is redirected (MOVED) or its cache expires. This asks one node for
 * {@code CLUSTER SLOTS} every {@code redis.topologyRefreshIntervalMs} (rotating over the nodes it
 * knows, so a dead node does not blind it) and reports when the primary of any slot range changed,
 * e.g. after a {@code CLUSTER FAILOVER} or a primary's death. Confined to the gateway's event loop.
 */
final class ClusterWatch {
  private static final System.Logger LOG = System.getLogger(ClusterWatch.class.getName());

  private final ClusterNodes nodes;
  private final Consumer<String> changed;
  private final Vertx vertx;
  private final long timer;
  private final Set<String> known = new LinkedHashSet<>();
  private String shape;
  private int next;
  private boolean asking;

  ClusterWatch(Vertx vertx, RedisConfig config, ClusterNodes nodes, Consumer<String> changed) {
    this.vertx = vertx;
    this.nodes = nodes;
    this.changed = changed;
    this.known.addAll(config.endpoints);
    this.timer = vertx.setPeriodic(Math.max(50, config.topologyRefreshIntervalMs), id -> check());
    check();
  }

  private void check() {
    if (asking || known.isEmpty()) {
      return;
    }
    asking = true;
    List<String> endpoints = new ArrayList<>(known);
    String endpoint = endpoints.get(next++ % endpoints.size());
    nodes.sendTo(endpoint, Request.cmd(Command.CLUSTER).arg("SLOTS")).onComplete(ar -> {
      asking = false;
      if (ar.failed() || ar.result() == null) {
        return; // the next tick asks another node
      }
      String now = shape(ar.result(), endpoint);
      if (shape != null && !shape.equals(now)) {
        LOG.log(System.Logger.Level.INFO, "cachex: Redis Cluster primaries changed: {0}", now);
        changed.accept(now);
      }
      shape = now;
    });
  }

  /** "first-last=host:port" of each slot range's primary, in slot order; learns the nodes on the way. */
  private String shape(Response slots, String askedEndpoint) {
    TreeMap<Long, String> ranges = new TreeMap<>();
    String scheme = askedEndpoint.substring(0, askedEndpoint.indexOf("://") + 3);
    int at = askedEndpoint.indexOf('@');
    String userInfo = at < 0 ? "" : askedEndpoint.substring(scheme.length(), at + 1);
    for (Response range : slots) {
      for (int i = 2; i < range.size(); i++) {
        Response node = range.get(i);
        known.add(scheme + userInfo + node.get(0).toString() + ":" + node.get(1).toLong());
      }
      Response primary = range.get(2);
      ranges.put(range.get(0).toLong(), range.get(0).toLong() + "-" + range.get(1).toLong() + "="
          + primary.get(0).toString() + ":" + primary.get(1).toLong());
    }
    return String.join(",", ranges.values());
  }

  void close() {
    vertx.cancelTimer(timer);
    nodes.close();
  }
}
