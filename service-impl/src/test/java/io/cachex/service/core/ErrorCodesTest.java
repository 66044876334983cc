package io.cachex.service.core;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.api.SetOptions;
import io.cachex.service.CachexVerticle;
import io.cachex.service.support.CachexFixture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.serviceproxy.ServiceException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;

import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Every error code the core exposes, with messages that name the operation, key and field. */
@Tag("contract")
@ExtendWith(VertxExtension.class)
class ErrorCodesTest {
  static CachexFixture fx;
  static CachexService cache;
  static Vertx vertx;

  @BeforeAll
  static void deploy(Vertx v) {
    fx = CachexFixture.deploy(v);
    vertx = fx.vertx;
    cache = fx.cache;
  }

  @AfterAll
  static void undeploy() {
    fx.undeploy();
  }

  /** Sends a raw JSON message, as a bridge client would, and returns the failure. */
  ReplyException rawFailure(String action, JsonObject body) {
    DeliveryOptions o = new DeliveryOptions().setSendTimeout(5000);
    if (action != null) {
      o.addHeader("action", action);
    }
    try {
      Object reply = vertx.eventBus().request(fx.address, body, o).await().body();
      fail("expected a failure, got " + reply);
      return null;
    } catch (Exception e) {
      return assertInstanceOf(ReplyException.class, e);
    }
  }

  void assertInvalid(String action, JsonObject body, String... mentions) {
    ReplyException e = rawFailure(action, body);
    assertEquals(CachexError.INVALID_ARGUMENT.code(), e.failureCode(), e.getMessage());
    assertTrue(e.getMessage().startsWith("INVALID_ARGUMENT "), e.getMessage());
    for (String m : mentions) {
      assertTrue(e.getMessage().contains(m), "'" + e.getMessage() + "' should mention " + m);
    }
  }

  @Test
  void invalidArgumentsNameTheOperationAndField() {
    assertInvalid("get", new JsonObject(), "get", "'key'");
    assertInvalid("get", new JsonObject().put("key", 5), "get", "'key'", "string");
    assertInvalid("get", new JsonObject().put("key", ""), "non-empty");
    assertInvalid("get", new JsonObject().put("key", "k").put("version", "two"), "'version'", "integer");
    assertInvalid("get", new JsonObject().put("key", "k").put("version", 1.5), "'version'");
    assertInvalid("set", new JsonObject().put("key", "k"), "set", "'value'");
    assertInvalid("set", new JsonObject().put("key", "k").put("value", 42), "'value'", "array");
    assertInvalid("set", new JsonObject().put("key", "k").put("value", new JsonArray().add(1).add(2)), "'value'", "one-element");
    assertInvalid("set", new JsonObject().put("key", "k").put("value", new JsonArray().add(1)).put("options", "soon"), "'options'");
    assertInvalid("set", new JsonObject().put("key", "k").put("value", new JsonArray().add(1))
        .put("options", new JsonObject().put("timeout", "60")), "'options.timeout'");
    assertInvalid("set", new JsonObject().put("key", "k").put("value", new JsonArray().add(1))
        .put("options", new JsonObject().put("nx", true).put("xx", true)), "'nx' and 'xx'");
    assertInvalid("getMany", new JsonObject().put("keys", new JsonArray().add("a").add(3)), "'keys'");
    assertInvalid("incr", new JsonObject().put("key", "k").put("delta", "1"), "'delta'");
    assertInvalid("nope", new JsonObject(), "unknown action 'nope'");
    assertInvalid(null, new JsonObject().put("key", "k"), "action");
  }

  @Test
  void rejectedWritesLeaveNothingBehind() {
    assertFails(CachexError.INVALID_ARGUMENT, cache.set("half", new SetOptions().setNx(true).setXx(true), null, new JsonArray().add(1)));
    assertFails(CachexError.INVALID_ARGUMENT, cache.set("half", null, null, new JsonArray()));
    assertEquals(false, cache.hasKey("half").await());
  }

  @Test
  void serviceStaysUpAfterBadInput() {
    assertInvalid("set", new JsonObject().put("key", 1));
    cache.set("still-up", 1).await();
    assertEquals(1L, cache.get("still-up").await());
  }

  @Test
  void notFound() {
    ServiceException e = assertFails(CachexError.NOT_FOUND, cache.incrVersion("nf-missing"));
    assertTrue(e.getMessage().contains("incrVersion(nf-missing)"), e.getMessage());
  }

  @Test
  void wrongType() {
    cache.set("wt-string", "text").await();
    ServiceException e = assertFails(CachexError.WRONG_TYPE, cache.incr("wt-string"));
    assertTrue(e.getMessage().contains("incr(wt-string)"), e.getMessage());
    cache.set("wt-double", 1.5).await();
    assertFails(CachexError.WRONG_TYPE, cache.incr("wt-double"));
    fx.redis(Command.HSET, fx.stored("wt-hash", 1), "f", "v");
    assertFails(CachexError.WRONG_TYPE, cache.get("wt-hash"));
  }

  @Test
  void decodeFailedNamesTheKey() {
    fx.redis(Command.SET, fx.stored("garbage", 1), new byte[] {(byte) 0xff, (byte) 0xfe, 0x01, 0x7b});
    ServiceException e = assertFails(CachexError.DECODE_FAILED, cache.get("garbage"));
    assertTrue(e.getMessage().contains("get(garbage)"), e.getMessage());
    cache.set("fine", 1).await();
    assertEquals(1L, cache.get("fine").await(), "one bad value does not break the service");
  }

  @Test
  void unavailableWhenNothingListens() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    JsonObject config = new JsonObject()
        .put("address", "cachex.test.down")
        .put("redis", new JsonObject().put("endpoints", new JsonArray().add("redis://127.0.0.1:" + port)).put("commandTimeoutMs", 1000));
    String id = vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
    try {
      CachexService down = CachexService.createProxy(vertx, "cachex.test.down");
      ServiceException e = assertFails(CachexError.UNAVAILABLE, down.get("k"));
      assertTrue(e.getMessage().contains("get(k)"), e.getMessage());
      assertFails(CachexError.UNAVAILABLE, down.set("k", 1, new SetOptions()));
    } finally {
      vertx.undeploy(id).await();
    }
  }
}
