package io.cachex.examples;

import io.cachex.service.support.CachexFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(VertxExtension.class)
class ScriptHooksExampleTest {
  static CachexFixture fx;

  @BeforeAll
  static void deploy(Vertx vertx) {
    fx = CachexFixture.deploy(vertx);
    ScriptHooksExample.registerSummaryHook(fx.address);
  }

  @AfterAll
  static void undeploy() {
    fx.undeploy();
  }

  @Test
  void compareAndSetWithBuiltInHooks() {
    JsonObject v1 = new JsonObject().put("mode", "fast").put("rev", 1);
    JsonObject v2 = new JsonObject().put("mode", "safe").put("rev", 2);
    fx.cache.set("cfg", v1).await();
    assertEquals(v2, ScriptHooksExample.compareAndSet(fx.cache, "cfg", v1, v2).await(), "expected value matched: replaced");
    assertEquals(v2, ScriptHooksExample.compareAndSet(fx.cache, "cfg", v1, new JsonObject().put("rev", 3)).await(),
        "stale expectation: unchanged, replies with the current value");
    assertEquals(v2, fx.cache.get("cfg").await(), "the script stored the service's format");
  }

  @Test
  void historyWithDecodeListPost() {
    for (int rev = 1; rev <= 4; rev++) {
      ScriptHooksExample.appendToHistory(fx.cache, "hist", new JsonObject().put("rev", rev), 3).await();
    }
    JsonArray last3 = new JsonArray().add(new JsonObject().put("rev", 2)).add(new JsonObject().put("rev", 3))
        .add(new JsonObject().put("rev", 4));
    assertEquals(last3, fx.cache.lrange("hist", 0, -1).await());
    JsonArray kept = (JsonArray) ScriptHooksExample.appendToHistory(fx.cache, "hist", "five", 3).await();
    assertEquals(new JsonArray().add(new JsonObject().put("rev", 3)).add(new JsonObject().put("rev", 4)).add("five"), kept);
  }

  @Test
  void customJvmRegisteredPostHook() {
    ScriptHooksExample.appendToHistory(fx.cache, "summary", 1, 2).await();
    Object summary = ScriptHooksExample.appendAndSummarize(fx.cache, "summary", new JsonObject().put("rev", 2), 2).await();
    assertEquals(new JsonObject().put("count", 2).put("latest", new JsonObject().put("rev", 2)), summary);
  }
}
