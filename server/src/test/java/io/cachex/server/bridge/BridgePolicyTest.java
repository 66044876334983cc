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
  static int budgetPort;

  @BeforeAll
  static void deploy(Vertx vertx) throws IOException {
    fx = CachexFixture.deploy(vertx);
    openPort = freePort();
    lockedPort = freePort();
    // default policy, no token
    deployBridge(new JsonObject().put("tcp", new JsonObject().put("port", openPort).put("maxFrameBytes", 4096).put("frameTimeoutMs", 1000)));
    // room for one large frame at a time
    budgetPort = freePort();
    deployBridge(new JsonObject().put("tcp", new JsonObject().put("port", budgetPort)
        .put("maxFrameBytes", 1 << 20).put("maxBufferedBytes", 1 << 20).put("frameTimeoutMs", 10_000)
        .put("maxInFlightPerClient", 4)));
    // allowlist and a shared secret
    deployBridge(new JsonObject().put("tcp", new JsonObject().put("port", lockedPort))
        .put("allowedActions", new JsonArray().add("get").add("set").add("pipeline")).put("token", "s3cret"));
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

  static JsonObject op(String action, JsonObject args) {
    return new JsonObject().put("action", action).put("args", args);
  }

  @Test
  void restrictedActionsAreRefusedOnEveryRoute() throws IOException {
    fx.cache.set("bp-guard", 1).await();
    try (Client c = new Client(openPort)) {
      // inside a pipeline or a transaction, whatever comes before them: nothing of the batch runs
      JsonObject clearInside = new JsonObject().put("operations", new JsonArray()
          .add(op("incr", new JsonObject().put("key", "bp-before"))).add(op("clear", new JsonObject())));
      assertRefused(c.call(fx.address, action("pipeline"), clearInside), 403, "FORBIDDEN", "'clear'", "operation #1");
      assertRefused(c.call(fx.address, action("pipeline"), clearInside.copy().put("options", new JsonObject().put("transaction", true))),
          403, "clear");
      JsonObject luaInside = new JsonObject().put("operations", new JsonArray()
          .add(op("evalScript", new JsonObject().put("script", "return redis.call('FLUSHDB')"))));
      assertRefused(c.call(fx.address, action("pipeline"), luaInside), 403, "evalScript");
      JsonObject registerInside = new JsonObject().put("operations", new JsonArray()
          .add(op("registerScript", new JsonObject().put("name", "x").put("source", "return redis.call('FLUSHDB')"))));
      assertRefused(c.call(fx.address, action("pipeline"), registerInside), 403, "registerScript");
      // the action header in another case is the same header
      assertRefused(c.call(fx.address, new JsonObject().put("ACTION", "clear"), new JsonObject()), 403, "clear");
      assertRefused(c.call(fx.address, new JsonObject().put("Action", "evalScript"),
          new JsonObject().put("script", "return redis.call('FLUSHDB')")), 403, "evalScript");
      // named twice, or not as a string: refused, never read two ways
      assertRefused(c.call(fx.address, new JsonObject().put("action", "get").put("Action", "clear"), new JsonObject().put("key", "k")),
          400, "INVALID_ARGUMENT", "'action' header");
      assertRefused(c.call(fx.address, new JsonObject().put("action", 5), new JsonObject().put("key", "k")), 400, "'action' header");
      assertRefused(c.call(fx.address, new JsonObject().putNull("action"), new JsonObject().put("key", "k")), 400, "'action' header");
    }
    assertEquals(1L, fx.cache.get("bp-guard").await(), "nothing was cleared");
    assertEquals(null, fx.cache.get("bp-before").await(), "no operation of a refused batch ran");
  }

  @Test
  void anAllowlistAppliesToTheOperationsOfAPipeline() throws IOException {
    try (Client c = new Client(lockedPort)) {
      JsonObject token = action("pipeline").put("token", "s3cret");
      JsonObject allowed = new JsonObject().put("operations", new JsonArray()
          .add(op("set", new JsonObject().put("key", "bp-p").put("value", new JsonArray().add(2))))
          .add(op("get", new JsonObject().put("key", "bp-p"))));
      JsonObject reply = c.call(fx.address, token, allowed);
      assertEquals("message", reply.getString("type"), reply.encode());
      assertEquals(2, reply.getJsonArray("body").getJsonObject(1).getInteger("ok"));
      JsonObject notAllowed = new JsonObject().put("operations", new JsonArray()
          .add(op("incr", new JsonObject().put("key", "bp-p"))));
      assertRefused(c.call(fx.address, action("pipeline").put("token", "s3cret"), notAllowed), 403, "'incr'", "allowedActions");
    }
    assertEquals(2L, fx.cache.get("bp-p").await());
  }

  @Test
  void otherAddressesAreRefusedToTheRequestThatAskedWithACode() throws IOException {
    try (Client c = new Client(openPort)) {
      JsonObject reply = c.call("some.internal.address", action("get"), new JsonObject().put("key", "k"));
      assertRefused(reply, 403, "FORBIDDEN frame", "some.internal.address");
      assertEquals("r1", reply.getString("address"), "addressed to the request's replyAddress");
      c.sendRaw(frame(new JsonObject().put("type", "register").put("address", fx.address).put("replyAddress", "r2")));
      JsonObject register = c.read();
      assertRefused(register, 403, "FORBIDDEN frame", "register");
      assertEquals("r2", register.getString("address"));
    }
  }

  static byte[] frame(JsonObject envelope) {
    return envelope.encode().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyMalformedEnvelopeGetsOneErrorAddressedToItsRequest() throws IOException {
    JsonObject good = new JsonObject().put("type", "send").put("address", fx.address)
        .put("headers", action("incr")).put("body", new JsonObject().put("key", "bp-env")).put("replyAddress", "r9");
    try (Client c = new Client(openPort)) {
      // each of these made vertx-tcp-eventbus-bridge throw and never answer
      Object[][] cases = {
          {"type", 7, "'type'"}, {"type", null, "'type'"}, {"type", "message", "'type'"}, {"type", "SEND", "'type'"},
          {"address", 7, "'address'"}, {"address", null, "'address'"}, {"address", new JsonArray(), "'address'"},
          {"headers", "action=incr", "'headers'"}, {"headers", new JsonArray(), "'headers'"},
      };
      for (Object[] k : cases) {
        JsonObject bad = good.copy();
        if (k[1] == null) {
          bad.remove((String) k[0]);
        } else {
          bad.put((String) k[0], k[1]);
        }
        c.sendRaw(frame(bad));
        JsonObject reply = c.read();
        assertRefused(reply, 400, "INVALID_ARGUMENT frame", (String) k[2]);
        assertEquals("r9", reply.getString("address"), reply.encode());
      }
      c.sendRaw(frame(good.copy().put("replyAddress", 12)));
      JsonObject reply = c.read();
      assertRefused(reply, 400, "INVALID_ARGUMENT frame", "'replyAddress'");
      assertEquals(null, reply.getString("address"));
      // headers the bridges would cast and throw on: one coded reply from the service, naming the action
      Object[][] headers = {
          {"timeout", "200"}, {"timeout", 0}, {"timeout", -5}, {"timeout", 1.5}, {"timeout", new JsonArray()},
          {"localOnly", "yes"}, {"codecName", "evil"}, {"x-trace", 5}, {"x-trace", new JsonObject()},
      };
      for (Object[] h : headers) {
        c.sendRaw(frame(good.copy().put("headers", action("incr").put((String) h[0], h[1]))));
        JsonObject r = c.read();
        assertRefused(r, 400, "INVALID_ARGUMENT incr", "'" + h[0] + "'");
        assertEquals("r9", r.getString("address"));
      }
      c.sendRaw(frame(good.copy().put("headers", action("incr").putNull("x-trace"))));
      assertRefused(c.read(), 400, "INVALID_ARGUMENT incr", "'x-trace'");
      // good headers pass, and the connection served every refusal without closing
      c.sendRaw(frame(good.copy().put("headers", action("incr").put("timeout", 5000).put("localOnly", false).put("x-trace", "t1"))));
      JsonObject ok = c.read();
      assertEquals("message", ok.getString("type"), ok.encode());
      assertEquals(1L, ok.getLong("body"), "only the good frame incremented");
      c.sendRaw(frame(new JsonObject().put("type", "ping")));
      assertEquals("pong", c.read().getString("type"));
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
      assertRefused(err, 400, "INVALID_ARGUMENT frame", "not a JSON object");
      c.sendRaw("[1,2]".getBytes(StandardCharsets.UTF_8));
      assertRefused(c.read(), 400, "INVALID_ARGUMENT frame");
      c.sendRaw(new byte[0]);
      assertRefused(c.read(), 400, "INVALID_ARGUMENT frame");
      assertEquals("message", c.call(fx.address, action("incr"), new JsonObject().put("key", "bp-alive")).getString("type"));
    }
  }

  @Test
  void anOversizeFrameIsRefusedAndTheConnectionClosed() throws IOException {
    try (Client c = new Client(openPort)) {
      c.out.writeInt(1 << 20); // announces 1 MiB, over maxFrameBytes 4096
      c.out.flush();
      assertRefused(c.read(), 413, "TOO_LARGE frame", "4096");
      assertThrows(EOFException.class, c::read);
    }
    try (Client c = new Client(openPort)) {
      c.out.writeInt(-1); // 4 GiB as an unsigned length
      c.out.flush();
      assertRefused(c.read(), 413, "TOO_LARGE frame", "4294967295");
      assertThrows(EOFException.class, c::read);
    }
  }

  @Test
  void aFrameThatStopsHalfWayIsTimedOutAndTheConnectionClosed() throws IOException {
    try (Client c = new Client(openPort)) {
      c.out.writeInt(100);
      c.out.write(new byte[10]);
      c.out.flush();
      long started = System.nanoTime();
      assertRefused(c.read(), 504, "TIMEOUT frame", "frameTimeoutMs");
      assertTrue(System.nanoTime() - started > 500_000_000L, "not before the deadline");
      assertThrows(EOFException.class, c::read);
    }
  }

  @Test
  void aFrameArrivingByteByByteIsServed() throws IOException {
    try (Client c = new Client(openPort)) {
      byte[] body = frame(new JsonObject().put("type", "send").put("address", fx.address).put("headers", action("incr"))
          .put("body", new JsonObject().put("key", "bp-trickle")).put("replyAddress", "r3"));
      c.socket.setTcpNoDelay(true);
      c.out.writeInt(body.length);
      for (byte b : body) {
        c.out.write(b);
        c.out.flush();
      }
      JsonObject reply = c.read();
      assertEquals("r3", reply.getString("address"), reply.encode());
      assertEquals(1L, reply.getLong("body"));
    }
  }
  static byte[] setFrame(String key, int valueChars, String replyAddress) {
    return frame(new JsonObject().put("type", "send").put("address", fx.address).put("headers", action("set"))
        .put("body", new JsonObject().put("key", key).put("value", new JsonArray().add("x".repeat(valueChars))))
        .put("replyAddress", replyAddress));
  }

  @Test
  void largeFramesShareOneBufferBudgetAndSmallOnesPassMeanwhile() throws Exception {
    try (Client first = new Client(budgetPort); Client second = new Client(budgetPort); Client small = new Client(budgetPort)) {
      byte[] big = setFrame("bp-big-1", 900_000, "b1");
      first.out.writeInt(big.length);
      first.out.write(big, 0, big.length / 2); // holds the whole budget while it is incomplete
      first.out.flush();
      Thread.sleep(200);
      second.sendRaw(setFrame("bp-big-2", 200_000, "b2")); // over 64 KiB: waits for the budget
      assertEquals("r1", small.call(fx.address, action("incr"), new JsonObject().put("key", "bp-small")).getString("address"),
          "a small frame is never held back");
      second.socket.setSoTimeout(500);
      assertThrows(java.net.SocketTimeoutException.class, second::read, "the second large frame is not read while the first holds the budget");
      first.out.write(big, big.length / 2, big.length - big.length / 2);
      first.out.flush();
      assertEquals("b1", first.read().getString("address"));
      second.socket.setSoTimeout(10_000);
      assertEquals("b2", second.read().getString("address"), "read once the first was handed on");
      assertEquals(200_000, ((String) fx.cache.get("bp-big-2").await()).length());
    }
    // a client that leaves in the middle of a large frame gives its share back
    try (Client leaving = new Client(budgetPort)) {
      leaving.out.writeInt(1 << 20);
      leaving.out.write(new byte[1000]);
      leaving.out.flush();
      Thread.sleep(200);
    }
    try (Client next = new Client(budgetPort)) {
      next.sendRaw(setFrame("bp-big-3", 500_000, "b3"));
      assertEquals("b3", next.read().getString("address"));
    }
  }
  @Test
  void aClientStreamingFramesBackToBackIsNeverTimedOut() throws Exception {
    try (Client c = new Client(openPort)) {
      byte[] one = frame(new JsonObject().put("type", "send").put("address", fx.address).put("headers", action("incr"))
          .put("body", new JsonObject().put("key", "bp-stream")).put("replyAddress", "s"));
      java.io.ByteArrayOutputStream framed = new java.io.ByteArrayOutputStream();
      new DataOutputStream(framed).writeInt(one.length);
      framed.write(one);
      byte[] f = framed.toByteArray();
      int half = f.length / 2;
      // every write ends in the middle of a frame, for 2.5 times frameTimeoutMs (1 s)
      c.socket.setTcpNoDelay(true);
      c.out.write(f, 0, half);
      int sent = 0;
      long until = System.nanoTime() + 2_500_000_000L;
      while (System.nanoTime() < until) {
        c.out.write(f, half, f.length - half);
        c.out.write(f, 0, half);
        c.out.flush();
        sent++;
        Thread.sleep(50);
      }
      c.out.write(f, half, f.length - half);
      c.out.flush();
      sent++;
      for (int i = 1; i <= sent; i++) {
        JsonObject reply = c.read();
        assertEquals("message", reply.getString("type"), reply.encode());
        assertEquals(i, reply.getLong("body"));
      }
    }
  }
  @Test
  void aClientWithMaxInFlightRequestsIsNotReadUntilRepliesGoOut() throws Exception {
    try (Client busy = new Client(budgetPort); Client other = new Client(budgetPort)) {
      for (int i = 0; i < 4; i++) { // four pops that wait 1 s each: the client's whole allowance
        busy.sendRaw(frame(new JsonObject().put("type", "send").put("address", fx.address).put("headers", action("blpop"))
            .put("body", new JsonObject().put("keys", new JsonArray().add("bp-nothing")).put("timeout", 1.0)).put("replyAddress", "p" + i)));
      }
      busy.sendRaw(frame(new JsonObject().put("type", "send").put("address", fx.address).put("headers", action("incr"))
          .put("body", new JsonObject().put("key", "bp-after-pops")).put("replyAddress", "after")));
      Thread.sleep(300);
      assertEquals(null, other.call(fx.address, action("get"), new JsonObject().put("key", "bp-after-pops")).getValue("body"),
          "the fifth request is not read while four await their replies");
      java.util.Set<String> popped = new java.util.TreeSet<>();
      for (int i = 0; i < 4; i++) {
        popped.add(busy.read().getString("address")); // they time out together, in any order
      }
      assertEquals(java.util.Set.of("p0", "p1", "p2", "p3"), popped);
      JsonObject after = busy.read();
      assertEquals("after", after.getString("address"), after.encode());
      assertEquals(1L, after.getLong("body"));
    }
  }
}
