package io.cachex.server.reliability;

import io.cachex.service.support.CoordinationNode;
import io.cachex.service.support.ChildJvm;
import io.cachex.api.CachexService;
import io.cachex.api.ComputeOptions;
import io.cachex.api.ExpiryOptions;
import io.cachex.api.LeaseOptions;
import io.cachex.cluster.ClusteredVertx;
import io.cachex.service.CachexVerticle;
import io.cachex.server.bridge.BridgeVerticle;
import io.cachex.service.support.TestTopologies;
import io.cachex.service.support.Topology;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compute once, cluster-wide, measured from outside: two Vert.x nodes of a clustered event bus (each
 * serving the service) with 150 Java callers each, and 20 TCP bridge clients speaking the lease actions
 * themselves, all asking for one missing key at once. The loader must run once. Then a third node in a
 * JVM of its own takes the lease and is killed with SIGKILL while everyone waits: exactly one more run.
 * On a standalone server and on a Redis Cluster.
 */
class ComputeOnceFromOutsideTest {
  static final int JAVA_CALLERS_PER_NODE = 150;
  static final int BRIDGE_CALLERS = 20;
  static final long LEASE_MS = 3_000;

  /** Two clustered nodes serving one address, a TCP bridge on the first, and what the loaders did. */
  static final class Deployment implements AutoCloseable {
    final String id = UUID.randomUUID().toString().substring(0, 6);
    final JsonObject cluster = new JsonObject().put("enabled", true).put("clusterName", "cachex-compute-" + id).put("port", 17851);
    final JsonObject config;
    final Vertx a;
    final Vertx b;
    final CachexService cacheA;
    final CachexService cacheB;
    final int bridgePort;
    final List<BridgeClient> bridges = new ArrayList<>();
    final AtomicInteger runs = new AtomicInteger();

    Deployment(Topology tier) throws Exception {
      config = new JsonObject().put("address", "cachex.compute." + id)
          .put("keyPrefix", tier == Topology.REDIS_CLUSTER ? "{c" + id + "}" : "c" + id)
          .put("redis", TestTopologies.redisConfig(tier));
      a = ClusteredVertx.start(cluster).await();
      b = ClusteredVertx.start(cluster).await();
      a.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
      b.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
      try (ServerSocket s = new ServerSocket(0)) {
        bridgePort = s.getLocalPort();
      }
      a.deployVerticle(BridgeVerticle.class, new DeploymentOptions().setConfig(new JsonObject().put("address", config.getString("address"))
          .put("bridges", new JsonObject().put("tcp", new JsonObject().put("port", bridgePort))))).await();
      DeliveryOptions send = new DeliveryOptions().setSendTimeout(10_000);
      cacheA = CachexService.createProxyWithOptions(a, config.getString("address"), send);
      cacheB = CachexService.createProxyWithOptions(b, config.getString("address"), send);
      awaitReachable(cacheA);
      awaitReachable(cacheB);
      for (int i = 0; i < 4; i++) {
        bridges.add(new BridgeClient(bridgePort, config.getString("address")));
      }
    }

    static void awaitReachable(CachexService cache) throws InterruptedException {
      long deadline = System.currentTimeMillis() + 30_000;
      while (true) {
        try {
          cache.hasKey("__probe").await();
          return;
        } catch (RuntimeException e) {
          assertTrue(System.currentTimeMillis() < deadline, "service reachable: " + e);
          Thread.sleep(50);
        }
      }
    }

    /** The loader every caller would run: counts the run, takes 500 ms, yields the run's number. */
    Future<?> load(Vertx on, String by) {
      int run = runs.incrementAndGet();
      Promise<Object> p = Promise.promise();
      on.setTimer(500, id -> p.complete(new JsonObject().put("run", run).put("by", by)));
      return p.future();
    }

    /** All callers at once: Java callers on both nodes and bridge clients; their results, in no order. */
    List<CompletableFuture<Object>> callAll(String key) {
      List<CompletableFuture<Object>> results = new ArrayList<>();
      ComputeOptions options = new ComputeOptions().setLease(new LeaseOptions().setLeaseMs(LEASE_MS))
          .setExpiry(ExpiryOptions.timeout(300)).setMaxWaitMs(90_000).setWaitSliceMs(3_000);
      for (int i = 0; i < JAVA_CALLERS_PER_NODE; i++) {
        results.add(cacheA.getOrCompute(a, key, options, () -> load(a, "java")).toCompletionStage().toCompletableFuture());
        results.add(cacheB.getOrCompute(b, key, options, () -> load(b, "java")).toCompletionStage().toCompletableFuture());
      }
      for (int i = 0; i < BRIDGE_CALLERS; i++) {
        BridgeClient client = bridges.get(i % bridges.size());
        results.add(CompletableFuture.supplyAsync(() -> bridgeGetOrCompute(client, key)));
      }
      return results;
    }

    /** What a client in another language does with the lease actions: ask, compute under the lease, store. */
    Object bridgeGetOrCompute(BridgeClient client, String key) {
      JsonObject ask = new JsonObject().put("key", key).put("options", new JsonObject().put("leaseMs", LEASE_MS).put("blockingTimeout", 3));
      long deadline = System.currentTimeMillis() + 90_000;
      try {
        while (System.currentTimeMillis() < deadline) {
          JsonObject reply = client.request("getOrLease", ask, new JsonObject().put("timeout", 10_000)).get(20, TimeUnit.SECONDS);
          if (!"ok".equals(BridgeClient.outcome(reply))) {
            continue; // a request lost with a node that left: ask again
          }
          JsonObject r = reply.getJsonObject("body");
          switch (r.getString("status")) {
            case "hit":
              return r.getValue("value");
            case "lease":
              Object value = load(a, "bridge").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
              client.request("setLeased", new JsonObject().put("lease", r.getJsonObject("lease"))
                  .put("options", new JsonObject().put("timeout", 300)).put("value", new io.vertx.core.json.JsonArray().add(value)))
                  .get(20, TimeUnit.SECONDS);
              return value;
            default:
              break; // busy: someone computes and has not stored yet, ask again
          }
        }
        throw new IllegalStateException("no value within 90 s");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      bridges.forEach(BridgeClient::close);
      b.close().await();
      a.close().await();
    }
  }

  static void assertOneValue(List<CompletableFuture<Object>> results, int expectedRun) {
    List<Object> values = results.stream().map(CompletableFuture::join).toList();
    assertEquals(1, new HashSet<>(values).size(), "every caller got the same value: " + new HashSet<>(values));
    assertEquals(expectedRun, ((JsonObject) values.get(0)).getInteger("run"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Topology.class, names = {"STANDALONE", "REDIS_CLUSTER"})
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void hundredsOfCallersOnTwoNodesAndBridgeClientsRunTheLoaderOnce(Topology tier) throws Exception {
    try (Deployment d = new Deployment(tier)) {
      long t0 = System.nanoTime();
      List<CompletableFuture<Object>> results = d.callAll("report");
      CompletableFuture.allOf(results.toArray(new CompletableFuture[0])).get(100, TimeUnit.SECONDS);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      System.out.println("compute-once figures (" + tier + "): callers=" + results.size() + " (java "
          + 2 * JAVA_CALLERS_PER_NODE + ", bridge " + BRIDGE_CALLERS + ") loaderRuns=" + d.runs.get() + " allServedMs=" + ms);
      assertEquals(1, d.runs.get(), "the loader ran once in the whole cluster");
      assertOneValue(results, 1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Topology.class, names = {"STANDALONE", "REDIS_CLUSTER"})
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aLoaderNodeKilledWithItsLeaseLeadsToExactlyOneMoreRun(Topology tier) throws Exception {
    try (Deployment d = new Deployment(tier);
         ChildJvm node = new ChildJvm("loader-node", CoordinationNode.class,
             List.of("compute", d.config.encode(), d.cluster.encode(), "report", Long.toString(LEASE_MS)))) {
      node.awaitLine("LOADER STARTED", 60_000);
      List<CompletableFuture<Object>> results = d.callAll("report");
      // the node renews its 3 s lease: nobody may compute while it lives, however long it takes
      Thread.sleep(2 * LEASE_MS);
      assertEquals(0, d.runs.get(), "no second run while the first loader's node lives");
      assertFalse(results.stream().anyMatch(CompletableFuture::isDone), "everyone waits");
      long killNs = System.nanoTime();
      node.kill();
      AtomicLong firstValueNs = new AtomicLong();
      results.forEach(f -> f.thenRun(() -> firstValueNs.compareAndSet(0, System.nanoTime())));
      CompletableFuture.allOf(results.toArray(new CompletableFuture[0])).get(150, TimeUnit.SECONDS);
      long allMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNs);
      long firstMs = TimeUnit.NANOSECONDS.toMillis(firstValueNs.get() - killNs);
      System.out.println("compute-once kill figures (" + tier + "): callers=" + results.size() + " loaderStartedInKilledNode="
          + node.lines("LOADER STARTED").size() + " runsAfterKill=" + d.runs.get() + " firstValueAfterKillMs=" + firstMs
          + " allServedAfterKillMs=" + allMs + " (lease " + LEASE_MS + " ms)");
      assertEquals(1, node.lines("LOADER STARTED").size(), "the killed node ran its loader once");
      assertEquals(1, d.runs.get(), "exactly one more run after the kill");
      assertOneValue(results, 1);
    }
  }
}
