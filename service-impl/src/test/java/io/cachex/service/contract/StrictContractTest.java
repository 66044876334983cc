package io.cachex.service.contract;

import io.cachex.api.CachexError;
import io.cachex.service.support.ServiceTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.serviceproxy.ServiceException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One strict contract for proxies and bridge clients alike: every field is known (unknown fields
 * and option fields are refused, naming them), {@code version} is a field of its own in every
 * keyed action and destination versions default to it, and {@code get} takes a default.
 */
@Tag("contract")
class StrictContractTest extends ServiceTest {

  static JsonArray box(Object v) {
    return new JsonArray().add(v);
  }

  @Test
  void unknownFieldsAreRefusedNamingThemAndNothingIsWritten() {
    ServiceException e = assertFails(CachexError.INVALID_ARGUMENT,
        fx.request("set", new JsonObject().put("key", "s:typo").put("value", box(1)).put("versoin", 2)));
    assertTrue(e.getMessage().contains("unknown field 'versoin'") && e.getMessage().contains("did you mean 'version'"), e.getMessage());
    e = assertFails(CachexError.INVALID_ARGUMENT,
        fx.request("acquireLock", new JsonObject().put("name", "s:lock").put("options", new JsonObject().put("blocking_timeout", 1))));
    assertTrue(e.getMessage().contains("'options.blocking_timeout'") && e.getMessage().contains("blockingTimeout"), e.getMessage());
    e = assertFails(CachexError.INVALID_ARGUMENT,
        fx.request("set", new JsonObject().put("key", "s:typo").put("value", box(1)).put("options", new JsonObject().put("ttl", 5))));
    assertTrue(e.getMessage().contains("'options.ttl'"), e.getMessage());
    assertEquals(false, cache.hasKey("s:typo").await());
    assertEquals(false, cache.hasKey("s:lock").await(), "the lock was not taken with defaults");
  }

  @Test
  void versionIsAFieldOfEveryKeyedActionAndDestinationsDefaultToIt() {
    fx.request("set", new JsonObject().put("key", "s:v").put("value", box("two")).put("version", 2)).await();
    assertEquals("\"two\"", fx.redis(Command.GET, fx.stored("s:v", 2)).toString());
    assertNull(cache.get("s:v").await(), "nothing at the default version");

    fx.request("sadd", new JsonObject().put("key", "s:a").put("members", new JsonArray().add(1).add(2)).put("version", 3)).await();
    fx.request("sadd", new JsonObject().put("key", "s:b").put("members", new JsonArray().add(2)).put("version", 3)).await();
    assertEquals(1L, fx.request("sdiffstore", new JsonObject().put("dest", "s:d").put("keys", new JsonArray().add("s:a").add("s:b"))
        .put("version", 3)).await());
    assertEquals(1L, fx.redis(Command.SCARD, fx.stored("s:d", 3)).toLong(), "the destination is at the operation's version");
    assertEquals(0L, fx.redis(Command.EXISTS, fx.stored("s:d", 1)).toLong());

    fx.request("rename", new JsonObject().put("src", "s:v").put("dst", "s:w").put("version", 2)).await();
    assertEquals("\"two\"", fx.redis(Command.GET, fx.stored("s:w", 2)).toString(), "rename's destination defaults to version");
    fx.request("rename", new JsonObject().put("src", "s:w").put("dst", "s:w").put("version", 2).put("dstVersion", 5)).await();
    assertEquals("\"two\"", fx.redis(Command.GET, fx.stored("s:w", 5)).toString());
  }

  @Test
  void getTellsAStoredNullFromAMissingKeyThroughADefault() {
    cache.set("s:null", null).await();
    JsonObject sentinel = new JsonObject().put("missing", true);
    assertNull(fx.request("get", new JsonObject().put("key", "s:null").put("defaultValue", box(sentinel))).await());
    assertEquals(sentinel, fx.request("get", new JsonObject().put("key", "s:none").put("defaultValue", box(sentinel))).await());
    assertEquals(7L, cache.get("s:none", 7L).await());
    assertFails(CachexError.INVALID_ARGUMENT, fx.request("get", new JsonObject().put("key", "s:none").put("defaultValue", 7)));
  }

  @Test
  void anEmptyPatternIsRefused() {
    ServiceException e = assertFails(CachexError.INVALID_ARGUMENT, cache.keys(""));
    assertTrue(e.getMessage().contains("'pattern'") && e.getMessage().contains("\"*\""), e.getMessage());
    assertFails(CachexError.INVALID_ARGUMENT, cache.deletePattern(""));
  }
}
