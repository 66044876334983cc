package io.cachex.service.reliability;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.api.contract.ActionSpec;
import io.cachex.api.contract.Actions;
import io.cachex.api.contract.Param;
import io.cachex.service.CachexVerticle;
import io.cachex.service.support.CachexFixture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
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

  /**
   * Every action classified as a read answers what its traits declare (what it answers for a
   * missing key), whichever read it is: the set of reads comes from the contract, not from a list.
   */
  @Test
  void everyReadOfTheContractAnswersItsDeclaredDefault(Vertx vertx) throws Exception {
    deployAgainstClosedPort(vertx, "cachex.test.ignore.all", true, false);
    List<String> wrong = new ArrayList<>();
    int reads = 0;
    for (ActionSpec spec : Actions.cachex().all().values()) {
      if (!spec.reads()) {
        continue;
      }
      reads++;
      JsonObject body = new JsonObject();
      spec.params().stream().filter(Param::required).forEach(p -> body.put(p.name(), sample(p)));
      Object expected = spec.unavailableReply(spec.decodeArgs(body, 1000));
      try {
        Object reply = vertx.eventBus().request("cachex.test.ignore.all", body,
            new DeliveryOptions().addHeader("action", spec.name()).setSendTimeout(10_000)).await().body();
        if (!java.util.Objects.equals(expected, reply)) {
          wrong.add(spec.name() + " answered " + reply + ", declared " + expected);
        }
      } catch (Exception e) {
        wrong.add(spec.name() + " failed: " + e.getMessage());
      }
    }
    assertTrue(reads >= 30, "reads: " + reads);
    assertEquals(List.of(), wrong);
  }

  /** A valid value for a required field of that type (bounds for the score-range reads). */
  static Object sample(Param p) {
    switch (p.type()) {
      case STRING: return "min".equals(p.name()) ? "-inf" : "max".equals(p.name()) ? "+inf" : "kind".equals(p.name()) ? "lock" : "k";
      case INT: case LONG: return 1;
      case DOUBLE: return 1.0;
      case BOOLEAN: return false;
      case JSON_OBJECT: case DATA_OBJECT: return new JsonObject();
      case BOX: return new JsonArray().add(1);
      case STRING_LIST: return new JsonArray().add("k");
      default: return new JsonArray().add(1);
    }
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
