package io.cachex.service.redis;

import io.cachex.api.contract.OperationException;
import io.cachex.service.config.CachexConfig.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.ZModem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What Redis Cluster needs beyond the client's own routing: the primaries (for SCAN, which has no
 * key and so reaches one random node), a connection to one given primary, and grouping of keys by
 * hash slot (the client splits MGET across slots but returns the parts in no defined order).
 */
public final class ClusterNodes {
  private final Vertx vertx;
  private final RedisConfig config;
  private final RedisGateway gateway;
  private final Map<String, Redis> nodeClients = new HashMap<>();

  ClusterNodes(Vertx vertx, RedisConfig config, RedisGateway gateway) {
    this.vertx = vertx;
    this.config = config;
    this.gateway = gateway;
  }

  /** The hash slot of a stored key (the client's own CRC16, so routing and grouping agree). */
  public static int slot(String storedKey) {
    return ZModem.generate(storedKey);
  }

  /** Indexes of {@code storedKeys} grouped by hash slot, in first-seen order. */
  public static Map<Integer, List<Integer>> bySlot(List<String> storedKeys) {
    Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < storedKeys.size(); i++) {
      groups.computeIfAbsent(slot(storedKeys.get(i)), s -> new ArrayList<>()).add(i);
    }
    return groups;
  }

  /** The request whose reply {@link #primaries} reads. */
  public static Request slotsRequest() {
    return Request.cmd(Command.CLUSTER).arg("SLOTS");
  }

  /** The primaries of a CLUSTER SLOTS reply as {@code redis://host:port}, sorted (a stable order for composite cursors). */
  public static List<String> primaries(Response slots) {
    TreeSet<String> endpoints = new TreeSet<>();
    for (Response range : slots) {
      Response primary = range.get(2);
      endpoints.add("redis://" + primary.get(0).toString() + ":" + primary.get(1).toLong());
    }
    return new ArrayList<>(endpoints);
  }

  /** A connection of its own to one given node (for a pub/sub subscriber). */
  public Future<RedisConnection> connectTo(String endpoint) {
    return node(endpoint).connect();
  }

  /** Sends a command to one given node (not routed by key). */
  public Future<Response> sendTo(String endpoint, Request request) {
    return node(endpoint).send(request).timeout(config.commandTimeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS)
        .recover(err -> Future.failedFuture(err instanceof java.util.concurrent.TimeoutException
            ? new OperationException(io.cachex.api.CachexError.TIMEOUT, "no reply from " + endpoint + " within " + config.commandTimeoutMs + " ms")
            : err));
  }

  private Redis node(String endpoint) {
    return nodeClients.computeIfAbsent(endpoint, e -> Redis.createClient(vertx, RedisGateway.options(config, 2, 10_000)
        .setType(RedisClientType.STANDALONE)
        .setEndpoints(new ArrayList<>(List.of(e)))));
  }

  void close() {
    nodeClients.values().forEach(Redis::close);
    nodeClients.clear();
  }
}
