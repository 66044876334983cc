package io.cachex.service.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisConnection;

/**
 * Opens a connection to the node that should serve commands right now: the configured server, the
 * cluster (routed by slot), or under Sentinel the primary the sentinels name, checked with ROLE.
 */
@FunctionalInterface
interface Connector {
  Future<RedisConnection> connect();
}
