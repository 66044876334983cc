package io.cachex.server;

import io.cachex.cluster.ClusterSettings;
import io.cachex.cluster.ClusteredVertx;
import io.cachex.service.monitoring.Monitoring;
import io.cachex.service.monitoring.MonitoringVerticle;
import io.vertx.core.Future;
import io.vertx.core.VertxOptions;
import io.cachex.service.bridge.BridgeVerticle;
import io.cachex.servers.RedisServer;
import io.cachex.servers.RedisServers;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;


/**
 * The launcher: {@code java -jar service-impl-*-fat.jar [--cluster] [config.json]}. With {@code --cluster}
 * (or {@code cluster.enabled}) the node joins a Hazelcast-clustered event bus (see cluster-config). Starts a Vert.x node with
 * the service. With no Redis endpoint configured (config {@code redis.endpoints} or environment
 * {@code CACHEX_REDIS_URI}) it starts an embedded Valkey/Redis on a free loopback port and says so.
 * Prints one line starting with {@code cachex ready} once the service answers on the event bus.
 */
public final class CachexMain {
  private CachexMain() {
  }

  public static void main(String[] args) throws Exception {
    String file = null;
    boolean cluster = false;
    for (String arg : args) {
      if ("--cluster".equals(arg)) {
        cluster = true;
      } else if (arg.startsWith("--")) {
        System.err.println("usage: java -jar service-impl-*-fat.jar [--cluster] [config.json]");
        System.exit(2);
      } else {
        file = arg;
      }
    }
    JsonObject config = LaunchConfig.load(file);
    JsonObject clusterConfig = config.getJsonObject("cluster", new JsonObject());
    if (cluster) {
      clusterConfig.put("enabled", true);
    }
    JsonObject redis = config.getJsonObject("redis", new JsonObject());
    RedisServer embedded = null;
    if (!redis.containsKey("endpoints") && !redis.containsKey("endpoint")) {
      embedded = RedisServers.start();
      System.out.println("cachex: no Redis configured (redis.endpoints or CACHEX_REDIS_URI): started embedded " + embedded.description());
      redis.put("endpoints", new JsonArray().add(embedded.uri()));
    }
    config.put("redis", redis);
    // one instance per core: each has its own event loop and pipelined connections (see docs/BENCHMARKS.md)
    int instances = config.getInteger("instances", Runtime.getRuntime().availableProcessors());

    JsonObject monitoring = config.getJsonObject("monitoring");
    VertxOptions vertxOptions = new VertxOptions();
    if (monitoring != null) {
      vertxOptions.setMetricsOptions(Monitoring.metricsOptions());
    }
    Vertx vertx = clusterConfig.getBoolean("enabled", false)
        ? ClusteredVertx.start(new ClusterSettings(clusterConfig), vertxOptions, Monitoring.factory(monitoring)).await()
        : Vertx.builder().with(vertxOptions).withMetrics(Monitoring.factory(monitoring)).build();
    RedisServer toStop = embedded;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      vertx.close().await();
      if (toStop != null) {
        toStop.close();
      }
    }));
    JsonObject bridges = config.getJsonObject("bridges");
    vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config).setInstances(instances))
        .compose(id -> bridges == null ? Future.succeededFuture(id)
            : vertx.deployVerticle(BridgeVerticle.class, new DeploymentOptions().setConfig(config)))
        .compose(id -> monitoring == null ? Future.succeededFuture(id)
            : vertx.deployVerticle(MonitoringVerticle.class, new DeploymentOptions().setConfig(config)))
        .onSuccess(id -> System.out.println("cachex ready: address=" + config.getString("address", "cachex")
            + " redis=" + redactCredentials(String.valueOf(redis.getValue("endpoints"))) + " instances=" + instances
            + (monitoring == null ? "" : " monitoring=http://" + monitoring.getString("host", "127.0.0.1") + ":"
                + monitoring.getInteger("port", 9090) + "/metrics,/health")
            + (bridges == null ? "" : " bridges=tcp:" + bridges.getJsonObject("tcp", new JsonObject()).getValue("port")
                + ",sockjs:" + bridges.getJsonObject("sockjs", new JsonObject()).getValue("port"))
            + (vertx.isClustered() ? " cluster=" + clusterConfig.getString("clusterName", "cachex") : "")))
        .onFailure(err -> {
          System.err.println("cachex failed to start: " + err.getMessage());
          System.exit(1);
        });
  }

  /** Endpoints as printed: {@code redis://user:pw@host} becomes {@code redis://***@host}, so no password reaches a log. */
  public static String redactCredentials(String endpoints) {
    return endpoints.replaceAll("(rediss?://)[^@/\\s\",\\]]*@", "$1***@");
  }
}
