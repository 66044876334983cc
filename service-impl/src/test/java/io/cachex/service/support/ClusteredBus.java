package io.cachex.service.support;

import io.cachex.cluster.ClusteredVertx;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * Two Hazelcast members on loopback for the whole test JVM: services are deployed on
 * {@link #serviceNode()}, proxies are created on {@link #callerNode()}, so every call crosses nodes
 * (where the generator's JSON-collection pitfalls show up).
 */
public final class ClusteredBus {
  private static Vertx serviceNode;
  private static Vertx callerNode;

  private ClusteredBus() {
  }

  private static synchronized void start() {
    if (serviceNode != null) {
      return;
    }
    JsonObject cluster = new JsonObject().put("enabled", true)
        .put("clusterName", "cachex-test-" + UUID.randomUUID()).put("port", 17701);
    serviceNode = ClusteredVertx.start(cluster).await();
    callerNode = ClusteredVertx.start(cluster).await();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      callerNode.close().await();
      serviceNode.close().await();
    }));
  }

  public static Vertx serviceNode() {
    start();
    return serviceNode;
  }

  public static Vertx callerNode() {
    start();
    return callerNode;
  }
}
