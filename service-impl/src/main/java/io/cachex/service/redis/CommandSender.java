package io.cachex.service.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Where {@link io.cachex.service.ops.Ops#send} puts a command: the {@link RedisGateway} for single
 * calls, a recorder for pipelines (which sends everything recorded in one round trip later).
 */
@FunctionalInterface
public interface CommandSender {
  Future<Response> send(Request request);
}
