package io.cachex.examples;

import io.cachex.api.CachexService;
import io.cachex.devredis.DevRedis;
import io.cachex.service.CachexVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * What every example's {@code main} does first: use the Valkey/Redis at {@code CACHEX_REDIS_URI}, or
 * start an embedded one on a free loopback port, then deploy {@link CachexVerticle} on a Vert.x node
 * and talk to it through the generated proxy, exactly as an application verticle would.
 */
final class ExampleSupport implements AutoCloseable {
  final String redisUri;
  private final DevRedis embedded; // null when CACHEX_REDIS_URI names a server
  private final List<Vertx> nodes = new ArrayList<>();

  private ExampleSupport(String redisUri, DevRedis embedded) {
    this.redisUri = redisUri;
    this.embedded = embedded;
  }

  static ExampleSupport start() {
    String uri = System.getenv("CACHEX_REDIS_URI");
    if (uri != null && !uri.isBlank()) {
      System.out.println("using Valkey/Redis at CACHEX_REDIS_URI");
      return new ExampleSupport(uri, null);
    }
    DevRedis server = DevRedis.start();
    System.out.println("started a development Redis, " + server.description());
    return new ExampleSupport(server.uri(), server);
  }

  /** A new Vert.x node with the service deployed on it (keys prefixed {@code keyPrefix}); returns a proxy. */
  CachexService newNode(String keyPrefix) {
    Vertx vertx = Vertx.vertx();
    nodes.add(vertx);
    return deploy(vertx, keyPrefix);
  }

  /** The Vert.x of a node made by {@link #newNode}, in creation order. */
  Vertx vertx(int node) {
    return nodes.get(node);
  }

  CachexService deploy(Vertx vertx, String keyPrefix) {
    JsonObject config = new JsonObject()
        .put("keyPrefix", keyPrefix)
        .put("redis", new JsonObject().put("endpoints", new JsonArray().add(redisUri)));
    vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
    return CachexService.createProxy(vertx, CachexService.DEFAULT_ADDRESS);
  }

  @Override
  public void close() {
    for (Vertx vertx : nodes) {
      vertx.close().await();
    }
    nodes.clear();
    if (embedded != null) {
      embedded.close();
    }
  }
}
