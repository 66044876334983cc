package io.cachex.service.reliability;

import io.cachex.api.CachexService;
import io.cachex.servers.LocalServerProcess;
import io.cachex.servers.RedisServers;
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

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL of the server under a steady load of 1,000 concurrent request loops, restart on the same
 * port ~1 s later: every request is counted and ends OK, UNAVAILABLE or TIMEOUT within its bound;
 * the service reconnects by itself; writes acknowledged after the restart are all readable.
 */
@ExtendWith(VertxExtension.class)
class KillRestartTest {
  static final int LOOPS = 1_000;
  static final long COMMAND_TIMEOUT_MS = 1_000;
  /** commandTimeout, plus the 250 ms sweep, plus event-loop lag on a loaded 2-core machine. */
  static final long LATENCY_BOUND_MS = COMMAND_TIMEOUT_MS + 2_000;

  /** A server process of our own (never the shared one): a container cannot be killed and restarted here. */
  static LocalServerProcess startLocal() {
    RedisServers.Source source = RedisServers.localBinaries().isEmpty() ? RedisServers.Source.EMBEDDED : RedisServers.Source.BINARY;
    return (LocalServerProcess) RedisServers.start(source, new ServerOptions());
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void killedAndRestartedServerUnderLoad(Vertx vertx) throws Exception {
    try (LocalServerProcess server = startLocal()) {
      String id = UUID.randomUUID().toString().substring(0, 8);
      JsonObject config = new JsonObject().put("address", "cachex.test.kill." + id).put("keyPrefix", "k" + id)
          .put("redis", new JsonObject().put("endpoints", new JsonArray().add(server.uri()))
              .put("commandTimeoutMs", COMMAND_TIMEOUT_MS).put("connectTimeoutMs", 1_000));
      vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
      CachexService cache = CachexService.createProxyWithOptions(vertx, config.getString("address"),
          new DeliveryOptions().setSendTimeout(30_000));
      cache.set("warm", 1).await();

      SteadyLoad load = SteadyLoad.start(vertx, cache, LOOPS, LATENCY_BOUND_MS, "");
      Thread.sleep(3_000);
      long beforeKill = load.completed.get();
      server.kill();
      long killedNs = System.nanoTime();
      Thread.sleep(1_000);
      server.restart();
      long restartedNs = System.nanoTime();
      load.mark();
      // let it recover and run on for a while
      long recoverDeadline = System.currentTimeMillis() + 10_000;
      while (load.firstOkAfterMarkNs.get() == 0 && System.currentTimeMillis() < recoverDeadline) {
        Thread.sleep(10);
      }
      Thread.sleep(4_000);
      load.stopAndDrain(LATENCY_BOUND_MS + 5_000);
      long endNs = System.nanoTime();

      long firstOk = load.firstOkAfterMarkNs.get();
      String figures = load + " completedBeforeKill=" + beforeKill
          + " recoveryMsAfterRestart=" + (firstOk == 0 ? "never" : SteadyLoad.msSince(restartedNs, firstOk))
          + " outageMsFromKill=" + (firstOk == 0 ? "never" : SteadyLoad.msSince(killedNs, firstOk))
          + " lastFailureMsAfterRestart=" + SteadyLoad.msSince(restartedNs, load.lastFailureEndNs.get())
          + " runMs=" + SteadyLoad.msSince(load.startNs, endNs);
      System.out.println("kill-restart figures: " + figures);

      load.assertNoneHungAndOnlyUnavailableOrTimeout();
      assertTrue(load.missing() <= LOOPS, "reads that lost their write to the crash, at most one per loop: " + figures);
      assertTrue(load.issued.get() > 10_000, "thousands of requests: " + figures);
      assertTrue(load.maxInFlight.get() >= LOOPS, "requests in flight at once: " + figures);
      assertTrue(load.outcomes.containsKey("UNAVAILABLE") || load.outcomes.containsKey("TIMEOUT"),
          "the kill was felt: " + figures);
      assertTrue(firstOk != 0 && SteadyLoad.msSince(restartedNs, firstOk) < 5_000, "recovered by itself within 5 s: " + figures);
      assertTrue(SteadyLoad.msSince(restartedNs, load.lastFailureEndNs.get()) < 5_000 + LATENCY_BOUND_MS,
          "failures stop after recovery: " + figures);
      int checked = load.assertAckedWritesReadable(killedNs);
      System.out.println("kill-restart: acknowledged writes after the kill read back: " + checked);
      assertTrue(checked > 1_000, "writes acknowledged after recovery: " + checked);
    }
  }
}
