package io.cachex.server.bridge;

import io.cachex.service.support.CachexFixture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.cachex.server.bridge.BridgePolicyTest.action;
import static io.cachex.server.bridge.BridgePolicyTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Semaphores, compute leases and stampede choices as a client in another language uses them: JSON
 * frames over a raw TCP bridge socket, with the default bridge policy (none of these is restricted).
 */
@ExtendWith(VertxExtension.class)
class CoordinationOverBridgeTest {
  static CachexFixture fx;
  static int port;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    fx = CachexFixture.deploy(vertx);
    port = BridgePolicyTest.freePort();
    fx.serviceVertx.deployVerticle(BridgeVerticle.class, new DeploymentOptions().setConfig(new JsonObject().put("address", fx.address)
        .put("bridges", new JsonObject().put("tcp", new JsonObject().put("port", port))))).await();
  }

  @AfterAll
  static void undeploy() {
    fx.undeploy();
  }

  static JsonObject ok(JsonObject reply) {
    assertEquals("message", reply.getString("type"), reply.encode());
    return reply;
  }

  @Test
  void semaphorePermitsOverTheBridge() throws Exception {
    try (BridgePolicyTest.Client c = new BridgePolicyTest.Client(port); BridgePolicyTest.Client waiter = new BridgePolicyTest.Client(port)) {
      JsonObject acquire = new JsonObject().put("name", "pool").put("capacity", 2).put("options", new JsonObject().put("lease", 10));
      JsonObject first = ok(c.call(fx.address, action("acquireSemaphore"), acquire)).getJsonObject("body");
      assertEquals(1, first.getInteger("weight"));
      assertTrue(first.getString("token").matches("[0-9a-f]{32}"), first.encode());
      JsonObject second = ok(c.call(fx.address, action("acquireSemaphore"), acquire)).getJsonObject("body");
      JsonObject full = ok(c.call(fx.address, action("acquireSemaphore"),
          acquire.copy().put("options", new JsonObject().put("lease", 10).put("blocking", false))));
      assertNull(full.getValue("body"), "no room: no body");
      JsonObject status = ok(c.call(fx.address, action("semaphoreStatus"), new JsonObject().put("name", "pool").put("lease", first)))
          .getJsonObject("body");
      assertEquals(2, status.getInteger("used"));
      assertEquals(true, status.getBoolean("ownedByLease"));
      JsonObject extended = ok(c.call(fx.address, action("extendSemaphore"),
          new JsonObject().put("lease", first).put("additionalMs", 20_000).put("replace", true))).getJsonObject("body");
      assertTrue(extended.getLong("expiresAt") > first.getLong("expiresAt"));

      // a waiter on another connection is woken by the release
      CompletableFuture<JsonObject> woken = CompletableFuture.supplyAsync(() -> {
        try {
          return waiter.call(fx.address, action("acquireSemaphore"),
              acquire.copy().put("options", new JsonObject().put("lease", 10).put("blockingTimeout", 5)));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(300);
      assertNull(ok(c.call(fx.address, action("releaseSemaphore"), new JsonObject().put("lease", first))).getValue("body"));
      JsonObject third = ok(woken.get(5, TimeUnit.SECONDS)).getJsonObject("body");
      assertEquals("pool", third.getString("name"));

      assertRefused(c.call(fx.address, action("releaseSemaphore"), new JsonObject().put("lease", first)), 423, "LOCK_NOT_OWNED");
      assertRefused(c.call(fx.address, action("acquireSemaphore"), new JsonObject().put("name", "pool").put("capacity", 2)
          .put("options", new JsonObject())), 400, "INVALID_ARGUMENT", "options.lease");
      ok(c.call(fx.address, action("releaseSemaphore"), new JsonObject().put("lease", second)));
      ok(c.call(fx.address, action("releaseSemaphore"), new JsonObject().put("lease", third)));
    }
  }

  @Test
  void theLeaseProtocolOverTheBridge() throws Exception {
    try (BridgePolicyTest.Client c = new BridgePolicyTest.Client(port); BridgePolicyTest.Client other = new BridgePolicyTest.Client(port)) {
      JsonObject granted = ok(c.call(fx.address, action("getOrLease"), new JsonObject().put("key", "page:1")
          .put("options", new JsonObject().put("lease", 5)))).getJsonObject("body");
      assertEquals("lease", granted.getString("status"));
      JsonObject lease = granted.getJsonObject("lease");
      assertEquals("page:1", lease.getString("key"));
      JsonObject busy = ok(other.call(fx.address, action("getOrLease"), new JsonObject().put("key", "page:1")
          .put("options", new JsonObject().put("blocking", false)))).getJsonObject("body");
      assertEquals("busy", busy.getString("status"));
      assertTrue(busy.getLong("retryMs") > 0);
      assertEquals(true, ok(c.call(fx.address, action("setLeased"), new JsonObject().put("lease", lease)
          .put("options", new JsonObject().put("timeout", 60)).put("value", new JsonArray().add(new JsonObject().put("html", "<p>"))))).getValue("body"));
      JsonObject hit = ok(other.call(fx.address, action("getOrLease"), new JsonObject().put("key", "page:1"))).getJsonObject("body");
      assertEquals(new JsonObject().put("status", "hit").put("value", new JsonObject().put("html", "<p>")), hit);
      assertRefused(c.call(fx.address, action("releaseLease"), new JsonObject().put("lease", lease)), 423, "LOCK_NOT_OWNED");
      assertRefused(c.call(fx.address, action("getOrLease"), new JsonObject().put("key", "page:2")
          .put("options", new JsonObject().put("leaseMs", -1))), 400, "options.leaseMs");
    }
  }

  @Test
  void stampedeChoicesOverTheBridge() throws Exception {
    try (BridgePolicyTest.Client c = new BridgePolicyTest.Client(port)) {
      ok(c.call(fx.address, action("set"), new JsonObject().put("key", "sp").put("value", new JsonArray().add("v"))
          .put("options", new JsonObject().put("timeout", 300)).put("stampede", new JsonObject().put("buffer", 30))));
      long pttl = fx.redis(Command.PTTL, fx.stored("sp", 1)).toLong();
      assertTrue(pttl > 300_000 && pttl <= 330_000, "timeout + buffer: " + pttl);
      fx.redis(Command.PEXPIRE, fx.stored("sp", 1), 20_000);
      JsonObject early = ok(c.call(fx.address, action("get"), new JsonObject().put("key", "sp").put("stampede", new JsonObject().put("buffer", 30))));
      assertNull(early.getValue("body"), "logically expired: a miss");
      assertEquals("v", ok(c.call(fx.address, action("get"), new JsonObject().put("key", "sp")
          .put("stampede", new JsonObject().put("enabled", false)))).getValue("body"));
      assertRefused(c.call(fx.address, action("get"), new JsonObject().put("key", "sp").put("stampede", new JsonObject().put("beta", "high"))),
          400, "INVALID_ARGUMENT", "stampede.beta");
    }
  }
}
