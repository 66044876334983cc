package io.cachex.examples;

import io.cachex.api.PipelineOptions;
import io.cachex.service.support.CachexFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(VertxExtension.class)
class PipelineExampleTest {
  static CachexFixture fx;

  @BeforeAll
  static void deploy(Vertx vertx) {
    fx = CachexFixture.deploy(vertx);
  }

  @AfterAll
  static void undeploy() {
    fx.undeploy();
  }

  @Test
  void pipelineThenTransactionGiveEveryResultInOrder() {
    List<String> first = PipelineExample.batch(fx.cache, "p:", null).await();
    assertEquals(List.of(
        "set p:greeting → null",
        "incr p:visits → 1",
        "incr p:visits (+10) → 11",
        "hset p:user name → 1",
        "rpush p:events → 1",
        "get p:greeting → {\"text\":\"hello\"}",
        "get p:missing → null"), first);

    List<String> second = PipelineExample.batch(fx.cache, "p:", PipelineOptions.transaction()).await();
    assertEquals(List.of(
        "set p:greeting → null",
        "incr p:visits → 12",
        "incr p:visits (+10) → 22",
        "hset p:user name → 0",
        "rpush p:events → 2",
        "get p:greeting → {\"text\":\"hello\"}",
        "get p:missing → null"), second);

    assertEquals(22L, fx.cache.get("p:visits").await());
    assertEquals("Ada", fx.cache.hget("p:user", "name").await());
    JsonObject login = new JsonObject().put("type", "login");
    assertEquals(new JsonArray().add(login).add(login), fx.cache.lrange("p:events", 0, -1).await());
  }

  @Test
  void wireFormatIsWhatBridgeClientsSend() {
    assertEquals(new JsonArray()
            .add(new JsonObject().put("action", "incr").put("args", new JsonObject().put("key", "visits")))
            .add(new JsonObject().put("action", "hset").put("args", new JsonObject()
                .put("key", "user").put("field", "name").put("value", new JsonArray().add("Ada")))),
        PipelineExample.wireFormat(fx.cache));
  }
}
