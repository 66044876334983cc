package io.cachex.server.bridge;

import io.cachex.service.support.CachexFixture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a TCP bridge client may and may not do, seen from a raw socket. */
@ExtendWith(VertxExtension.class)
class BridgePolicyTest {
  static CachexFixture fx;
  static int openPort;
  static int lockedPort;

  @BeforeAll
  static void deploy(Vertx vertx) throws IOException {
    fx = CachexFixture.deploy(vertx);
    openPort = freePort();
    lockedPort = freePort();
    // default policy, no token
    deployBridge(new JsonObject().put("tcp", new JsonObject().put("port", openPort).put("maxFrameBytes", 4096)));
    // allowlist and a shared secret
    deployBridge(new JsonObject().put("tcp", new JsonObject().put("port", lockedPort))
        .put("allowedActions", new JsonArray().add("get").add("set")).put("token", "s3cret"));
  }

  static void deployBridge(JsonObject bridges) {
    fx.serviceVertx.deployVerticle(BridgeVerticle.class, new DeploymentOptions()
        .setConfig(new JsonObject().put("address", fx.address).put("bridges", bridges))).await();
  }

  @AfterAll
  static void undeploy() {
    fx.undeploy();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static final class Client implements AutoCloseable {
    final Socket socket;
    final DataOutputStream out;
    final DataInputStream in;

    Client(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      out = new DataOutputStream(socket.getOutputStream());
      in = new DataInputStream(socket.getInputStream());
    }

    void sendRaw(byte[] bytes) throws IOException {
      out.writeInt(bytes.length);
      out.write(bytes);
      out.flush();
    }

    JsonObject call(String address, JsonObject headers, JsonObject body) throws IOException {
      sendRaw(new JsonObject().put("type", "send").put("address", address).put("headers", headers)
          .put("body", body).put("replyAddress", "r1").encode().getBytes(StandardCharsets.UTF_8));
      return read();
    }

    JsonObject read() throws IOException {
      byte[] frame = new byte[in.readInt()];
      in.readFully(frame);
      return new JsonObject(new String(frame, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  static JsonObject action(String name) {
    return new JsonObject().put("action", name);
  }

  static void assertRefused(JsonObject reply, int code, String... mentions) {
    assertEquals("err", reply.getString("type"), reply.encode());
    assertEquals(code, reply.getInteger("failureCode"), reply.encode());
    for (String m : mentions) {
      assertTrue(reply.getString("message").contains(m), reply.encode());
    }
  }

  @Test
  void dangerousActionsAndAdHocScriptsAreRefusedByDefault() throws IOException {
    try (Client c = new Client(openPort)) {
      assertRefused(c.call(fx.address, action("clear"), new JsonObject()), 403, "FORBIDDEN", "clear");
      assertRefused(c.call(fx.address, action("evalScript"), new JsonObject().put("script", "return 1")), 403, "evalScript");
      assertRefused(c.call(fx.address, action("deletePattern"), new JsonObject().put("pattern", "*")), 403, "deletePattern");
      assertEquals("message", c.call(fx.address, action("incr"), new JsonObject().put("key", "bp-n")).getString("type"));
    }
  }

  @Test
  void otherAddressesAreRefusedByTheBridge() throws IOException {
    try (Client c = new Client(openPort)) {
      JsonObject reply = c.call("some.internal.address", action("get"), new JsonObject().put("key", "k"));
      assertEquals("err", reply.getString("type"));
      assertEquals("access_denied", reply.getString("message"));
    }
  }

  @Test
  void anAllowlistAndATokenAreEnforced() throws IOException {
    try (Client c = new Client(lockedPort)) {
      assertRefused(c.call(fx.address, action("get"), new JsonObject().put("key", "k")), 403, "token");
      assertRefused(c.call(fx.address, action("get").put("token", "wrong"), new JsonObject().put("key", "k")), 403, "wrong");
      JsonObject ok = c.call(fx.address, action("set").put("token", "s3cret"),
          new JsonObject().put("key", "bp-k").put("value", new JsonArray().add(1)));
      assertEquals("message", ok.getString("type"), ok.encode());
      assertRefused(c.call(fx.address, action("incr").put("token", "s3cret"), new JsonObject().put("key", "bp-k")), 403,
          "incr", "allowedActions");
    }
  }

  @Test
  void malformedFramesGetAnErrorAndTheConnectionKeepsServing() throws IOException {
    try (Client c = new Client(openPort)) {
      c.sendRaw("{not json".getBytes(StandardCharsets.UTF_8));
      JsonObject err = c.read();
      assertEquals("err", err.getString("type"));
      assertTrue(err.getString("message").startsWith("invalid_json"), err.encode());
      c.sendRaw("[1,2]".getBytes(StandardCharsets.UTF_8));
      assertTrue(c.read().getString("message").startsWith("invalid_json"));
      assertEquals("message", c.call(fx.address, action("incr"), new JsonObject().put("key", "bp-alive")).getString("type"));
    }
  }

  @Test
  void anOversizeFrameIsRefusedAndTheConnectionClosed() throws IOException {
    try (Client c = new Client(openPort)) {
      c.out.writeInt(1 << 20); // announces 1 MiB, over maxFrameBytes 4096
      c.out.flush();
      JsonObject err = c.read();
      assertTrue(err.getString("message").startsWith("frame_too_large"), err.encode());
      assertThrows(EOFException.class, c::read);
    }
  }
}
