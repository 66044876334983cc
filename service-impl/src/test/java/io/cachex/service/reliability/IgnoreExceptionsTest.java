package io.cachex.service.reliability;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.service.CachexVerticle;
import io.cachex.service.support.CachexFixture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Django's IGNORE_EXCEPTIONS with the server down: reads answer their defaults, writes still fail. */
@ExtendWith(VertxExtension.class)
class IgnoreExceptionsTest {

  static List<String> captureLogs() {
    List<String> lines = new ArrayList<>();
    Logger.getLogger("io.cachex.service").addHandler(new Handler() {
      @Override
      public void publish(LogRecord r) {
        synchronized (lines) {
          lines.add(r.getMessage());
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    });
    return lines;
  }

  static CachexService deployAgainstClosedPort(Vertx vertx, String address, boolean ignore, boolean log) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    JsonObject config = new JsonObject().put("address", address).put("ignoreExceptions", ignore).put("logIgnoredExceptions", log)
        .put("redis", new JsonObject().put("endpoints", new JsonArray().add("redis://:s3cr3t-pw@127.0.0.1:" + port)).put("reconnectDelayMs", 10));
    vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
    return CachexService.createProxy(vertx, address);
  }

  @Test
  void readsAnswerDefaultsAndWritesFailWhenOn(Vertx vertx) throws Exception {
    List<String> logs = captureLogs();
    CachexService cache = deployAgainstClosedPort(vertx, "cachex.test.ignore.on", true, true);
    assertNull(cache.get("k").await());
    assertEquals("fallback", cache.get("k", "fallback").await());
    assertEquals(new JsonObject(), cache.getMany(List.of("a", "b")).await());
    assertFalse(cache.hasKey("k").await());
    assertEquals(0L, cache.hlen("h", null).await());
    CachexFixture.assertFails(CachexError.UNAVAILABLE, cache.set("k", 1));
    CachexFixture.assertFails(CachexError.UNAVAILABLE, cache.incr("n"));
    synchronized (logs) {
      assertTrue(logs.stream().anyMatch(l -> l.contains("ignoreExceptions: get(k)")), logs.toString());
      assertTrue(logs.stream().noneMatch(l -> l.contains("s3cr3t-pw")), "no secret in logs: " + logs);
    }
  }

  @Test
  void nothingIsLoggedWithoutLogIgnoredExceptions(Vertx vertx) throws Exception {
    List<String> logs = captureLogs();
    CachexService cache = deployAgainstClosedPort(vertx, "cachex.test.ignore.quiet", true, false);
    assertNull(cache.get("quiet-key").await());
    synchronized (logs) {
      assertTrue(logs.stream().noneMatch(l -> l.contains("quiet-key")), logs.toString());
    }
  }

  @Test
  void readsFailWhenOff(Vertx vertx) throws Exception {
    CachexService cache = deployAgainstClosedPort(vertx, "cachex.test.ignore.off", false, false);
    CachexFixture.assertFails(CachexError.UNAVAILABLE, cache.get("k"));
    CachexFixture.assertFails(CachexError.UNAVAILABLE, cache.getMany(List.of("a")));
  }
}
