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
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.serviceproxy.ServiceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A script that loops would leave Valkey/Redis answering BUSY to every client until someone sends
 * SCRIPT KILL. The service does it: a script running past {@code limits.scriptTimeout} is killed, its
 * caller gets TIMEOUT, and the commands other callers sent meanwhile (answered BUSY, so not run) are
 * sent again and succeed. A looping script that has written cannot be killed: callers get a clear
 * UNAVAILABLE naming SHUTDOWN NOSAVE instead of a hang.
 */
@ExtendWith(VertxExtension.class)
class RunawayScriptTest {

  /** A server whose busy threshold is short, so that the test does not wait the default 5 s. */
  static LocalServerProcess server() {
    return RedisServers.startWithBinary(RedisServers.topologyBinary(), new ServerOptions().args("--lua-time-limit", "300"));
  }

  static CachexService deploy(Vertx vertx, LocalServerProcess server, String tag) {
    JsonObject config = new JsonObject().put("address", "cachex.test.runaway." + tag).put("keyPrefix", tag)
        .put("limits", new JsonObject().put("scriptTimeoutMs", 200))
        .put("redis", new JsonObject().put("endpoints", new JsonArray().add(server.uri())).put("commandTimeoutMs", 4000));
    vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
    return CachexService.createProxyWithOptions(vertx, config.getString("address"), new DeliveryOptions().setSendTimeout(15_000));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aLoopingScriptIsKilledAndOtherCallersAreServed(Vertx vertx) throws Exception {
    try (LocalServerProcess server = server()) {
      CachexService cache = deploy(vertx, server, "r" + UUID.randomUUID().toString().substring(0, 6));
      cache.set("n", 0).await();
      long t0 = System.nanoTime();
      Future<Object> loop = cache.evalScript("local i = 0 while true do i = i + 1 end", List.of(), new JsonArray());
      Thread.sleep(50);
      List<Future<Long>> others = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        others.add(cache.incr("n"));
      }
      ServiceException killed = CachexFixture.assertFails(CachexError.TIMEOUT, loop);
      assertTrue(killed.getMessage().contains("SCRIPT KILL"), killed.getMessage());
      for (Future<Long> f : others) {
        f.await();
      }
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertEquals(50L, cache.get("n").await(), "every command sent during the loop ran once");
      assertTrue(ms < 4000, "served within the command timeout, not after it: " + ms + " ms");
      System.out.println("runaway-script figures: killed and 50 waiting commands served after " + ms + " ms");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aLoopingScriptThatHasWrittenIsReportedNotHung(Vertx vertx) throws Exception {
    try (LocalServerProcess server = server()) {
      CachexService cache = deploy(vertx, server, "w" + UUID.randomUUID().toString().substring(0, 6));
      cache.set("warm", 1).await();
      Future<Object> loop = cache.evalScript("redis.call('SET', KEYS[1], 'x') while true do end", List.of("written"), new JsonArray(),
          "keys_only_pre", null, null);
      Thread.sleep(400);
      // a command queued behind the script on the same connection waits for it: TIMEOUT, and the
      // connection is replaced; on the new one the server answers BUSY, which the caller is told plainly
      Future<Object> queued = cache.get("warm");
      CachexFixture.assertFails(CachexError.TIMEOUT, loop);
      CachexFixture.assertFails(CachexError.TIMEOUT, queued);
      ServiceException busy = CachexFixture.assertFails(CachexError.UNAVAILABLE, cache.get("warm"));
      assertTrue(busy.getMessage().contains("SHUTDOWN NOSAVE"), busy.getMessage());
      server.kill(); // only SHUTDOWN NOSAVE or a kill ends it
    }
  }
}
