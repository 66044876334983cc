package io.cachex.service.reliability;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.servers.LocalServerProcess;
import io.cachex.servers.RespSocket;
import io.cachex.service.CachexVerticle;
import io.cachex.service.support.CachexFixture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A primary demoted under the service's feet (REPLICAOF on a live connection, which Redis does not
 * close): writes answer READONLY. The service must not keep the connection (it would keep hitting the
 * replica for ever, under Sentinel too): it fails the write with UNAVAILABLE and reconnects.
 */
@ExtendWith(VertxExtension.class)
class ReadonlyReconnectTest {

  static long connectionsReceived(LocalServerProcess server) {
    try (RespSocket s = server.connect()) {
      for (String line : s.callString("INFO", "stats").split("\r?\n")) {
        if (line.startsWith("total_connections_received:")) {
          return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        }
      }
    }
    throw new IllegalStateException("no total_connections_received in INFO stats");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void readonlyReplyReplacesTheConnection(Vertx vertx) throws Exception {
    try (LocalServerProcess server = KillRestartTest.startLocal(); LocalServerProcess other = KillRestartTest.startLocal()) {
      String id = UUID.randomUUID().toString().substring(0, 8);
      JsonObject config = new JsonObject().put("address", "cachex.test.readonly." + id).put("keyPrefix", "r" + id)
          .put("redis", new JsonObject().put("endpoints", new JsonArray().add(server.uri())).put("reconnectDelayMs", 10));
      vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
      CachexService cache = CachexService.createProxy(vertx, config.getString("address"));
      cache.set("a", 1).await();
      try (RespSocket admin = server.connect()) {
        admin.call("REPLICAOF", other.host(), String.valueOf(other.port()));
      }
      try {
        cache.get("a").await(); // reads still work on the demoted node, on the same connection (or a new one)
      } catch (RuntimeException ignored) {
        // the replica may be syncing (LOADING-like states): only the write below matters
      }
      long before = connectionsReceived(server);
      CachexFixture.assertFails(CachexError.UNAVAILABLE, cache.set("b", 2));
      cache.hasKey("a").otherwiseEmpty().await(); // any next command: it must come on a new connection
      long after = connectionsReceived(server);
      // our two admin connections count once each (INFO before and after): one more is the service's
      assertTrue(after - before >= 2, "the service reconnected after READONLY: connections " + before + " -> " + after);
      try (RespSocket admin = server.connect()) {
        admin.call("REPLICAOF", "NO", "ONE");
      }
      cache.set("c", 3).await();
      assertEquals(3L, cache.get("c").await());
    }
  }
}
