package io.cachex.service;

import io.cachex.servers.RedisServer;
import io.cachex.servers.RedisServers;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The launcher: {@code java -jar service-impl-*-fat.jar [config.json]}. Starts a Vert.x node with
 * the service. With no Redis endpoint configured (config {@code redis.endpoints} or environment
 * {@code CACHEX_REDIS_URI}) it starts an embedded Valkey/Redis on a free loopback port and says so.
 * Prints one line starting with {@code cachex ready} once the service answers on the event bus.
 */
public final class CachexMain {
  private CachexMain() {
  }

  public static void main(String[] args) throws Exception {
    JsonObject config = args.length > 0 ? new JsonObject(Files.readString(Path.of(args[0]))) : new JsonObject();
    JsonObject redis = config.getJsonObject("redis", new JsonObject());
    String fromEnv = System.getenv("CACHEX_REDIS_URI");
    if (fromEnv != null && !fromEnv.isBlank()) {
      redis.put("endpoints", new JsonArray().add(fromEnv));
    }
    RedisServer embedded = null;
    if (!redis.containsKey("endpoints") && !redis.containsKey("endpoint")) {
      embedded = RedisServers.start();
      System.out.println("cachex: no Redis configured (redis.endpoints or CACHEX_REDIS_URI): started embedded " + embedded.description());
      redis.put("endpoints", new JsonArray().add(embedded.uri()));
    }
    config.put("redis", redis);
    int instances = config.getInteger("instances", 1);

    Vertx vertx = Vertx.vertx();
    RedisServer toStop = embedded;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      vertx.close().await();
      if (toStop != null) {
        toStop.close();
      }
    }));
    vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config).setInstances(instances))
        .onSuccess(id -> System.out.println("cachex ready: address=" + config.getString("address", "cachex")
            + " redis=" + redis.getValue("endpoints") + " instances=" + instances))
        .onFailure(err -> {
          System.err.println("cachex failed to start: " + err.getMessage());
          System.exit(1);
        });
  }
}
