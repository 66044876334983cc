package io.cachex.server.bridge;

import io.cachex.service.support.CachexFixture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A TCP bridge client may listen to the near-cache invalidations, the messages of docs/PROTOCOL.md "Invalidations". */
@ExtendWith(VertxExtension.class)
class InvalidationsOverBridgeTest {

  @Test
  void aBridgeClientHearsHeartbeatsAndTheKeysThatChange(Vertx vertx) throws Exception {
    CachexFixture fx = CachexFixture.deploy(vertx, new JsonObject()
        .put("nearCache", new JsonObject().put("enabled", true).put("heartbeatIntervalMs", 100)));
    try {
      int port = BridgePolicyTest.freePort();
      fx.serviceVertx.deployVerticle(BridgeVerticle.class, new DeploymentOptions().setConfig(new JsonObject()
          .put("address", fx.address).put("nearCache", new JsonObject().put("enabled", true))
          .put("bridges", new JsonObject().put("tcp", new JsonObject().put("port", port))))).await();
      try (BridgePolicyTest.Client c = new BridgePolicyTest.Client(port)) {
        String invalidations = fx.address + ".invalidations";
        c.sendRaw(new JsonObject().put("type", "register").put("address", invalidations).encode().getBytes(StandardCharsets.UTF_8));
        JsonObject heartbeat = next(c, "heartbeat");
        assertEquals(invalidations, heartbeat.getString("address"));
        assertTrue(heartbeat.getJsonObject("body").getLong("epoch") >= 1, heartbeat.encode());
        fx.cache.set("bridged", 1).await();
        JsonObject invalidate = next(c, "invalidate");
        assertTrue(invalidate.getJsonObject("body").getJsonArray("keys").contains("bridged"), invalidate.encode());
      }
    } finally {
      fx.undeploy();
    }
  }

  /** The next message frame whose body has this type (heartbeats come in between). */
  static JsonObject next(BridgePolicyTest.Client c, String type) throws Exception {
    for (int i = 0; i < 200; i++) {
      JsonObject frame = c.read();
      if ("message".equals(frame.getString("type")) && type.equals(frame.getJsonObject("body").getString("type"))) {
        return frame;
      }
      assertTrue(!"err".equals(frame.getString("type")), frame.encode());
    }
    throw new AssertionError("no " + type + " message");
  }
}
