package io.cachex.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Two Hazelcast members on loopback form one event bus: a request from one reaches a consumer on the other. */
class ClusteredVertxTest {

  @Test
  void twoLoopbackNodesShareOneEventBus() throws Exception {
    JsonObject cluster = new JsonObject().put("enabled", true).put("clusterName", "cachex-cc-" + UUID.randomUUID()).put("port", 16701);
    Vertx a = ClusteredVertx.start(cluster).await();
    Vertx b = ClusteredVertx.start(cluster).await();
    try {
      a.eventBus().<String>consumer("ping", m -> m.reply("pong from a")).completion().await();
      String reply = null;
      long deadline = System.currentTimeMillis() + 10_000;
      while (reply == null) {
        try {
          reply = b.eventBus().<String>request("ping", "hi").await().body();
        } catch (Exception e) { // the subscription propagates asynchronously
          if (System.currentTimeMillis() > deadline) {
            throw e;
          }
          Thread.sleep(100);
        }
      }
      assertEquals("pong from a", reply);
    } finally {
      b.close().await();
      a.close().await();
    }
  }

  @Test
  void membersProfileNeedsMembers() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new ClusterSettings(new JsonObject().put("profile", "members")));
  }

  @Test
  void kubernetesProfileEnablesKubernetesDiscovery() {
    ClusterSettings s = new ClusterSettings(new JsonObject().put("profile", "kubernetes")
        .put("kubernetes", new JsonObject().put("namespace", "prod").put("serviceName", "cachex")));
    com.hazelcast.config.JoinConfig join = HazelcastProfiles.build(s).getNetworkConfig().getJoin();
    assertEquals(true, join.getKubernetesConfig().isEnabled());
    assertEquals("prod", join.getKubernetesConfig().getProperty("namespace"));
    assertEquals(false, join.getMulticastConfig().isEnabled());
  }
}
