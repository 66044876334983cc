package io.cachex.service.reliability;

import io.cachex.api.CachexService;
import io.cachex.cluster.ClusteredVertx;
import io.cachex.service.CachexVerticle;
import io.cachex.service.support.SharedRedis;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three Hazelcast members on loopback: service instances on A and B register the same address, a
 * caller on C streams requests; A leaves (vertx.close()) mid-stream. Calls keep succeeding on B:
 * the few sent to A while it leaves fail with NO_HANDLERS/TIMEOUT, then failures stop.
 */
class ClusterNodeLossTest {
  static final int LOOPS = 50;
  static final long SEND_TIMEOUT_MS = 3_000;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aServiceNodeLeavesAndCallsKeepSucceedingOnTheOther() throws Exception {
    JsonObject cluster = new JsonObject().put("enabled", true).put("clusterName", "t-" + UUID.randomUUID()).put("port", 19701);
    List<Vertx> nodes = new ArrayList<>();
    try {
      Vertx a = ClusteredVertx.start(cluster).await();
      nodes.add(a);
      Vertx b = ClusteredVertx.start(cluster).await();
      nodes.add(b);
      Vertx c = ClusteredVertx.start(cluster).await();
      nodes.add(c);
      String id = UUID.randomUUID().toString().substring(0, 8);
      JsonObject config = new JsonObject().put("address", "cachex.test.nodeloss." + id).put("keyPrefix", "n" + id)
          .put("redis", new JsonObject().put("endpoints", new JsonArray().add(SharedRedis.get().uri())));
      a.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
      b.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
      CachexService cache = CachexService.createProxyWithOptions(c, config.getString("address"),
          new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MS));
      awaitBothServing(c, config.getString("address"));

      SteadyLoad load = SteadyLoad.start(c, cache, LOOPS, SEND_TIMEOUT_MS + 2_000, "");
      Thread.sleep(2_000);
      long beforeLeave = load.completed.get();
      long leaveNs = System.nanoTime();
      a.close().await();
      nodes.remove(a);
      long leftNs = System.nanoTime();
      load.mark();
      Thread.sleep(6_000);
      load.stopAndDrain(SEND_TIMEOUT_MS + 5_000);

      Map<String, Long> counts = load.outcomeCounts();
      long failures = counts.entrySet().stream().filter(e -> !e.getKey().equals("ok")).mapToLong(Map.Entry::getValue).sum();
      String figures = load + " completedBeforeLeave=" + beforeLeave + " closeMs=" + SteadyLoad.msSince(leaveNs, leftNs)
          + " failures=" + failures
          + " lastFailureMsAfterLeaveStarted=" + (load.lastFailureEndNs.get() == 0 ? "none" : SteadyLoad.msSince(leaveNs, load.lastFailureEndNs.get()));
      System.out.println("node-loss figures: " + figures);

      assertTrue(load.issued.get() == load.completed.get(), "every call answered: " + figures);
      for (String outcome : counts.keySet()) {
        assertTrue(outcome.equals("ok") || outcome.equals("bus:NO_HANDLERS") || outcome.equals("bus:TIMEOUT"),
            "unexpected outcome " + outcome + ": " + figures);
      }
      // at most the calls in flight while A leaves, plus the ones routed to it before C learns it left
      assertTrue(failures <= 10L * LOOPS, "failures bounded: " + figures);
      assertTrue(load.lastFailureEndNs.get() == 0 || SteadyLoad.msSince(leftNs, load.lastFailureEndNs.get()) < 5_000 + SEND_TIMEOUT_MS,
          "failures stop within a few seconds: " + figures);
      assertTrue(load.firstOkAfterMarkNs.get() != 0, "calls succeed on B after A left: " + figures);
      assertTrue(load.completed.get() - beforeLeave > 1_000, "the stream went on: " + figures);
      load.assertAckedWritesReadable(leftNs);
    } finally {
      for (Vertx v : nodes) {
        v.close().await();
      }
    }
  }

  /** Until both instances answered a call: registrations reach other members asynchronously. */
  static void awaitBothServing(Vertx caller, String address) throws InterruptedException {
    CachexService cache = CachexService.createProxy(caller, address);
    long deadline = System.currentTimeMillis() + 20_000;
    int ok = 0;
    while (ok < 20 && System.currentTimeMillis() < deadline) {
      try {
        cache.hasKey("probe").await();
        ok++;
      } catch (RuntimeException e) {
        Thread.sleep(50);
      }
    }
    assertTrue(ok == 20, "the clustered service answers");
  }
}
