package io.cachex.service.scripts;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.service.support.CachexFixture;
import io.vertx.core.Vertx;
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

import java.util.List;

import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** evalScript / evalNamed / registerScript through the proxy: hooks, reply mapping, NOSCRIPT, policy. */
@Tag("contract")
@ExtendWith(VertxExtension.class)
class ScriptCommandsTest {
  static CachexFixture fx;
  static CachexFixture locked;
  static CachexService cache;

  @BeforeAll
  static void deploy(Vertx v) {
    fx = CachexFixture.deploy(v, new JsonObject().put("scripts",
        new JsonObject().put("getRaw", "return redis.call('GET', KEYS[1])")).put("maxScriptBytes", 200));
    cache = fx.cache;
    locked = CachexFixture.deploy(v, new JsonObject().put("allowAdHocScripts", false)
        .put("scripts", new JsonObject().put("double", "return tonumber(ARGV[1]) * 2")));
  }

  @AfterAll
  static void undeploy() {
    fx.undeploy();
    locked.undeploy();
  }

  @Test
  void replyMappingWithoutHooks() {
    assertEquals(42L, cache.evalScript("return 42", List.of(), null, null, null, null).await());
    assertEquals("hi", cache.evalScript("return 'hi'", List.of(), null, null, null, null).await());
    assertNull(cache.evalScript("return nil", List.of(), null, null, null, null).await());
    assertNull(cache.evalScript("return false", List.of(), null, null, null, null).await());
    assertEquals("OK", cache.evalScript("return redis.status_reply('OK')", List.of(), null, null, null, null).await());
    assertEquals(new JsonArray().add(1L).add("a").add(new JsonArray().add(2L).add("b")),
        cache.evalScript("return {1, 'a', {2, 'b'}}", List.of(), null, null, null, null).await());
  }

  @Test
  void withoutPreHookKeysAndArgsAreVerbatim() {
    Object r = cache.evalScript("redis.call('SET', KEYS[1], ARGV[1]) return {KEYS[1], ARGV[1], ARGV[2], ARGV[3]}",
        List.of("raw:verbatim"), new JsonArray().add("v").add(7).add(new JsonObject().put("a", 1)), null, null, null).await();
    assertEquals(new JsonArray().add("raw:verbatim").add("v").add("7").add("{\"a\":1}"), r);
    assertEquals("v", fx.redis(Command.GET, "raw:verbatim").toString());
    fx.redis(Command.DEL, "raw:verbatim");
  }

  @Test
  void keysOnlyPrePrefixesKeysWithVersion() {
    Object r = cache.evalScript("return KEYS[1] .. '|' .. ARGV[1]", List.of("k"), new JsonArray().add("plain"),
        "keys_only_pre", null, 3).await();
    assertEquals(fx.stored("k", 3) + "|plain", r);
  }

  @Test
  void fullEncodePreAndDecodeSinglePost() {
    Object r = cache.evalScript("redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])",
        List.of("doc"), new JsonArray().add(new JsonObject().put("a", 1)), "full_encode_pre", "decode_single_post", null).await();
    assertEquals(new JsonObject().put("a", 1), r);
    assertEquals(new JsonObject().put("a", 1), cache.get("doc").await(), "stored in the service's format");
    cache.set("n", 5L).await();
    assertEquals(5L, cache.evalScript("return redis.call('GET', KEYS[1])", List.of("n"), null, "keys_only_pre",
        "decode_single_post", null).await());
  }

  @Test
  void decodeListPosts() {
    cache.set("l1", new JsonObject().put("x", 1)).await();
    cache.set("l2", "two").await();
    String mget = "return redis.call('MGET', KEYS[1], KEYS[2], KEYS[3])";
    List<String> keys = List.of("l1", "l2", "missing");
    JsonArray expected = new JsonArray().add(new JsonObject().put("x", 1)).add("two").addNull();
    assertEquals(expected, cache.evalScript(mget, keys, null, "keys_only_pre", "decode_list_post", null).await());
    assertEquals(expected, cache.evalScript(mget, keys, null, "keys_only_pre", "decode_list_or_none_post", null).await());
    assertNull(cache.evalScript("return nil", List.of(), null, null, "decode_list_or_none_post", null).await());
    assertEquals(new JsonArray(), cache.evalScript("return nil", List.of(), null, null, "decode_list_post", null).await());
    assertEquals("\"two\"", cache.evalScript("return redis.call('GET', KEYS[1])", List.of("l2"), null, "keys_only_pre",
        "noop_post", null).await(), "noop_post leaves the stored form as text");
  }

  @Test
  void unknownHooksAndScriptErrorsAreInvalidArgument() {
    ServiceException e = assertFails(CachexError.INVALID_ARGUMENT,
        cache.evalScript("return 1", List.of(), null, "nope_pre", null, null));
    assertTrue(e.getMessage().contains("nope_pre"), e.getMessage());
    e = assertFails(CachexError.INVALID_ARGUMENT, cache.evalScript("return 1", List.of(), null, null, "nope_post", null));
    assertTrue(e.getMessage().contains("nope_post"), e.getMessage());
    e = assertFails(CachexError.INVALID_ARGUMENT, cache.evalScript("return (", List.of(), null, null, null, null));
    assertTrue(e.getMessage().contains("script"), e.getMessage());
    e = assertFails(CachexError.INVALID_ARGUMENT, cache.evalScript("return redis.call('NOSUCHCMD')", List.of(), null, null, null, null));
    assertTrue(e.getMessage().toLowerCase().contains("unknown"), e.getMessage());
    assertFails(CachexError.INVALID_ARGUMENT, cache.evalScript("return 1", List.of(), new JsonArray().addNull(), null, null, null));
    cache.set("str", "s").await();
    assertFails(CachexError.WRONG_TYPE, cache.evalScript("return redis.call('LPUSH', KEYS[1], 'x')", List.of("str"), null,
        "keys_only_pre", null, null));
  }

  @Test
  void tooLargeScriptRefused() {
    String big = "return '" + "x".repeat(300) + "'";
    assertFails(CachexError.TOO_LARGE, cache.evalScript(big, List.of(), null, null, null, null));
    assertFails(CachexError.TOO_LARGE, cache.registerScript("big", big));
  }

  @Test
  void noscriptFallbackAfterScriptFlush() {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.cachex.service.support.Topology.current() != io.cachex.service.support.Topology.REDIS_CLUSTER,
        "SCRIPT FLUSH and the script cache are per node on a cluster");
    String s = "return 'flushed-' .. ARGV[1]";
    assertEquals("flushed-1", cache.evalScript(s, List.of(), new JsonArray().add(1), null, null, null).await());
    fx.redis(Command.SCRIPT, "FLUSH");
    assertEquals(0L, fx.redis(Command.SCRIPT, "EXISTS", LuaScript.sha1(s)).get(0).toLong());
    assertEquals("flushed-2", cache.evalScript(s, List.of(), new JsonArray().add(2), null, null, null).await());
    assertEquals(1L, fx.redis(Command.SCRIPT, "EXISTS", LuaScript.sha1(s)).get(0).toLong(), "EVAL cached it again");
  }

  @Test
  void namedScripts() {
    cache.set("named", "v").await();
    assertEquals("\"v\"", cache.evalNamed("getRaw", List.of("named"), null, "keys_only_pre", null, null).await());
    assertEquals("v", cache.evalNamed("getRaw", List.of("named"), null, "keys_only_pre", "decode_single_post", null).await());
    String source = "return ARGV[1] .. ARGV[2]";
    String sha = cache.registerScript("concat", source).await();
    assertEquals(LuaScript.sha1(source), sha);
    assertEquals(sha, fx.redis(Command.SCRIPT, "LOAD", source).toString(), "same SHA1 as Redis computes");
    fx.redis(Command.SCRIPT, "FLUSH");
    assertEquals("ab", cache.evalNamed("concat", List.of(), new JsonArray().add("a").add("b"), null, null, null).await());
    assertFails(CachexError.NOT_FOUND, cache.evalNamed("nope", List.of(), null, null, null, null));
    assertFails(CachexError.INVALID_ARGUMENT, cache.registerScript("broken", "return ("));
    assertFails(CachexError.NOT_FOUND, cache.evalNamed("broken", List.of(), null, null, null, null));
  }

  @Test
  void adHocScriptsForbiddenBySwitch() {
    assertFails(CachexError.FORBIDDEN, locked.cache.evalScript("return 1", List.of(), null, null, null, null));
    assertFails(CachexError.FORBIDDEN, locked.cache.registerScript("x", "return 1"));
    assertEquals(42L, locked.cache.evalNamed("double", List.of(), new JsonArray().add(21), null, null, null).await());
  }

  @Test
  void customJvmRegisteredHooks() {
    ScriptHooks.forService(fx.address)
        .registerPreHook("tagged_pre", (h, keys, args) -> new ScriptCall(h.makeKeys(keys),
            new JsonArray().add("v" + h.version()).add(h.encode(args.getValue(0)))))
        .registerPostHook("wrap_post", (h, r) -> new JsonObject().put("decoded", h.decode(r)).toString());
    ScriptHooks.registerGlobalPostHook("count_post", (h, r) -> ((JsonArray) r).size());
    Object r = cache.evalScript("redis.call('SET', KEYS[1], ARGV[2]) return redis.call('GET', KEYS[1])",
        List.of("custom"), new JsonArray().add(new JsonArray().add(1).add(2)), "tagged_pre", "wrap_post", 2).await();
    assertEquals(new JsonObject().put("decoded", new JsonArray().add(1).add(2)).toString(), r);
    assertEquals(new JsonArray().add(1).add(2), cache.get("custom", 2, null).await());
    assertEquals(3, ((Number) cache.evalScript("return {1, 2, 3}", List.of(), null, null, "count_post", null).await()).intValue());
    // per-service hooks are not seen by another service
    assertFails(CachexError.INVALID_ARGUMENT, locked.cache.evalNamed("double", List.of(), new JsonArray().add(1), "tagged_pre", null, null));
  }
}
