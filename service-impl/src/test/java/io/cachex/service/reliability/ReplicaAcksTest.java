package io.cachex.service.reliability;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.servers.LocalServerProcess;
import io.cachex.servers.RedisServers;
import io.cachex.servers.ServerOptions;
import io.cachex.service.CachexVerticle;
import io.cachex.service.support.CachexFixture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.serviceproxy.ServiceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code redis.replicaAcks}: a write is acknowledged only once that many replicas hold it (WAIT). Measures
 * what it costs (the same writes with and without it, on one primary with two replicas) and checks the
 * failure path: with a replica gone, writes fail with UNAVAILABLE after {@code replicaAckTimeout} (they were
 * applied on the primary but are not safe from a failover) while reads are still served.
 */
@ExtendWith(VertxExtension.class)
class ReplicaAcksTest {
  static final int CONCURRENCY = 64;
  static final long MEASURE_MS = 2_000;

  static CachexService deploy(Vertx vertx, LocalServerProcess primary, String tag, int replicaAcks) {
    JsonObject redis = new JsonObject().put("endpoints", new JsonArray().add(primary.uri())).put("commandTimeoutMs", 3_000);
    if (replicaAcks > 0) {
      redis.put("replicaAcks", replicaAcks).put("replicaAckTimeoutMs", 500);
    }
    JsonObject config = new JsonObject().put("address", "cachex.test.acks." + tag).put("keyPrefix", tag).put("redis", redis);
    vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
    return CachexService.createProxy(vertx, config.getString("address"));
  }

  /** {@link #CONCURRENCY} loops of set for {@link #MEASURE_MS}: [writes/s, p50 ms, p99 ms]. */
  static double[] measure(Vertx vertx, CachexService cache) {
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MEASURE_MS);
    Promise<Void> done = Promise.promise();
    int[] running = {CONCURRENCY};
    vertx.getOrCreateContext().runOnContext(v -> {
      for (int i = 0; i < CONCURRENCY; i++) {
        loop(cache, "m" + i + ":", 0, end, latencies, () -> {
          if (--running[0] == 0) {
            done.complete();
          }
        });
      }
    });
    done.future().await();
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return new double[] {sorted.size() * 1000.0 / MEASURE_MS, sorted.get(sorted.size() / 2) / 1e6,
        sorted.get((int) (sorted.size() * 0.99)) / 1e6};
  }

  private static void loop(CachexService cache, String prefix, long n, long end, List<Long> latencies, Runnable finished) {
    if (System.nanoTime() > end) {
      finished.run();
      return;
    }
    long begin = System.nanoTime();
    cache.set(prefix + n, n).onComplete(ar -> {
      if (ar.succeeded()) {
        latencies.add(System.nanoTime() - begin);
      }
      loop(cache, prefix, n + 1, end, latencies, finished);
    });
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void writesWaitForTheReplicasAndFailWhenOneIsMissing(Vertx vertx) throws Exception {
    ServerOptions options = new ServerOptions();
    try (LocalServerProcess primary = RedisServers.startWithBinary(RedisServers.topologyBinary(), options);
         LocalServerProcess replica1 = RedisServers.startWithBinary(RedisServers.topologyBinary(), options.copy()
             .args("--replicaof", primary.host(), Integer.toString(primary.port())));
         LocalServerProcess replica2 = RedisServers.startWithBinary(RedisServers.topologyBinary(), options.copy()
             .args("--replicaof", primary.host(), Integer.toString(primary.port())))) {
      awaitReplicas(primary, 2);
      String tag = "a" + UUID.randomUUID().toString().substring(0, 6);
      CachexService plain = deploy(vertx, primary, tag + "p", 0);
      CachexService confirmed = deploy(vertx, primary, tag + "c", 2);
      plain.set("warm", 1L).await();
      warmUp(confirmed);
      measure(vertx, plain); // JIT warm-up for both paths
      measure(vertx, confirmed);
      double[] without = measure(vertx, plain);
      double[] with = measure(vertx, confirmed);
      String figures = String.format("%s %s, %d concurrent sets: without replicaAcks %.0f writes/s p50 %.2f ms p99 %.2f ms;"
              + " with replicaAcks=2 %.0f writes/s p50 %.2f ms p99 %.2f ms", primary.flavor(), primary.version(), CONCURRENCY,
          without[0], without[1], without[2], with[0], with[1], with[2]);
      System.out.println("replica-acks cost figures: " + figures);
      assertTrue(with[0] > 0 && without[0] > 0, figures);

      replica2.stop();
      long begin = System.nanoTime();
      ServiceException e = CachexFixture.assertFails(CachexError.UNAVAILABLE, confirmed.set("k", 1L));
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
      assertTrue(e.getMessage().contains("replicaAcks"), e.getMessage());
      assertTrue(waitedMs >= 400 && waitedMs < 3_000, "failed after replicaAckTimeout: " + waitedMs + " ms");
      assertEquals(1L, confirmed.get("k").await(), "the write was applied on the primary; reads are served");
      assertEquals(1L, plain.get("warm").await());
      Future<Void> still = plain.set("k2", 2L);
      still.await(); // without replicaAcks nothing changes
    }
  }

  /**
   * The first confirmed writes on a busy machine can miss the 500 ms bound while the replicas finish
   * their initial sync: retry them for a while before measuring.
   */
  static void warmUp(CachexService confirmed) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      try {
        confirmed.set("warm", 1L).await();
        return;
      } catch (ServiceException e) {
        assertTrue(System.currentTimeMillis() < deadline, "confirmed writes never succeeded: " + e.getMessage());
        Thread.sleep(100);
      }
    }
  }

  static void awaitReplicas(LocalServerProcess primary, int count) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      try (io.cachex.servers.RespSocket s = primary.connect()) {
        s.call("SET", "replicas-attached", "1");
        if ((Long) s.call("WAIT", count, 200) == count) {
          return;
        }
      }
      assertTrue(System.currentTimeMillis() < deadline, "replicas attach");
      Thread.sleep(50);
    }
  }
}
