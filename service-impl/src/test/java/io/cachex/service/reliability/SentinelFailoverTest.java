package io.cachex.service.reliability;

import io.cachex.api.CachexService;
import io.cachex.servers.LocalServerProcess;
import io.cachex.servers.SentinelTopology;
import io.cachex.servers.ServerOptions;
import io.cachex.service.CachexVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sentinel failover under a steady stream of writes and reads (a topology of our own: 1 primary,
 * 1 replica, 3 sentinels): the primary is SIGKILLed, the sentinels promote the replica, and the
 * same deployed service carries on against the new primary without a restart.
 */
@ExtendWith(VertxExtension.class)
class SentinelFailoverTest {
  static final int LOOPS = 300;
  static final long COMMAND_TIMEOUT_MS = 2_000;
  static final long LATENCY_BOUND_MS = COMMAND_TIMEOUT_MS + 2_000;

  /** The first connection asks the sentinels, then the primary: give it a few tries on a loaded machine. */
  static void warmUp(CachexService cache) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 15_000;
    while (true) {
      try {
        cache.set("warm", 1).await();
        return;
      } catch (RuntimeException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void primaryKilledUnderLoadServiceFollowsThePromotion(Vertx vertx) throws Exception {
    try (SentinelTopology topology = SentinelTopology.start(new ServerOptions())) {
      String id = UUID.randomUUID().toString().substring(0, 8);
      JsonObject config = new JsonObject().put("address", "cachex.test.failover." + id).put("keyPrefix", "f" + id)
          .put("redis", new JsonObject().put("type", "sentinel").put("masterName", topology.masterName())
              .put("endpoints", new JsonArray(topology.sentinelUris()))
              .put("commandTimeoutMs", COMMAND_TIMEOUT_MS).put("connectTimeoutMs", 1_000));
      vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
      CachexService cache = CachexService.createProxyWithOptions(vertx, config.getString("address"),
          new DeliveryOptions().setSendTimeout(30_000));
      warmUp(cache);

      SteadyLoad load = SteadyLoad.start(vertx, cache, LOOPS, LATENCY_BOUND_MS, "");
      Thread.sleep(2_000);
      long beforeKill = load.completed.get();
      LocalServerProcess old = topology.killPrimary();
      long killedNs = System.nanoTime();
      load.mark();
      LocalServerProcess promoted = topology.awaitFailover(Duration.ofSeconds(30));
      long promotedNs = System.nanoTime();
      assertNotEquals(old.port(), promoted.port());
      long recoverDeadline = System.currentTimeMillis() + 15_000;
      while (load.firstOkAfterMarkNs.get() == 0 && System.currentTimeMillis() < recoverDeadline) {
        Thread.sleep(10);
      }
      Thread.sleep(3_000);
      load.stopAndDrain(LATENCY_BOUND_MS + 5_000);

      long firstOk = load.firstOkAfterMarkNs.get();
      String figures = load + " completedBeforeKill=" + beforeKill
          + " promotionMsAfterKill=" + SteadyLoad.msSince(killedNs, promotedNs)
          + " firstOkMsAfterKill=" + (firstOk == 0 ? "never" : SteadyLoad.msSince(killedNs, firstOk))
          + " firstOkMsAfterPromotion=" + (firstOk == 0 ? "never" : SteadyLoad.msSince(promotedNs, firstOk))
          + " lastFailureMsAfterPromotion=" + SteadyLoad.msSince(promotedNs, load.lastFailureEndNs.get());
      System.out.println("sentinel-failover figures: " + figures);

      load.assertNoneHungAndOnlyUnavailableOrTimeout();
      assertTrue(load.missing() <= LOOPS, "reads that lost an unreplicated write, at most one per loop: " + figures);
      assertTrue(load.outcomes.containsKey("UNAVAILABLE") || load.outcomes.containsKey("TIMEOUT"),
          "the kill was felt: " + figures);
      // the lane retries at most every redis.maxReconnectDelay (2 s) after failures
      assertTrue(firstOk != 0 && SteadyLoad.msSince(promotedNs, firstOk) < 5_000,
          "the service follows the promotion by itself: " + figures);
      assertTrue(SteadyLoad.msSince(promotedNs, load.lastFailureEndNs.get()) < 5_000 + LATENCY_BOUND_MS,
          "failures stop after the promotion: " + figures);
      int checked = load.assertAckedWritesReadable(killedNs);
      System.out.println("sentinel-failover: acknowledged writes after the kill read back: " + checked);
      assertTrue(checked > 100, "writes acknowledged after the failover: " + checked);
    }
  }
}
