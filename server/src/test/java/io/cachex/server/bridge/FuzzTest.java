package io.cachex.server.bridge;

import io.cachex.server.bridge.BridgeVerticle;
import io.cachex.service.support.CachexFixture;
import io.cachex.api.contract.ActionSpec;
import io.cachex.api.contract.Actions;
import io.cachex.api.contract.Param;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile and broken input, 10,000 messages per channel: random actions from the catalog with
 * fields of random wrong types, huge strings, deep nesting, unknown actions, bad headers and
 * invalid UTF-8. Every message must be answered (never left hanging), no answer may be an internal
 * error (a crash in our code), and the service must serve normal requests afterwards.
 */
@ExtendWith(VertxExtension.class)
class FuzzTest {
  static final int MESSAGES = 10_000;
  static int garbageSent;
  static CachexFixture fx;
  static int tcpPort;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    // blocking pops and lock waits of up to 1 s: a fuzzed blpop must not outlive the request timeout
    fx = CachexFixture.deploy(vertx, new JsonObject().put("maxBlockingTimeoutSeconds", 1));
    try (ServerSocket s = new ServerSocket(0)) {
      tcpPort = s.getLocalPort();
    }
    JsonObject config = new JsonObject().put("address", fx.address)
        .put("bridges", new JsonObject().put("tcp", new JsonObject().put("port", tcpPort)));
    fx.serviceVertx.deployVerticle(BridgeVerticle.class, new DeploymentOptions().setConfig(config)).await();
  }

  @AfterAll
  static void undeploy() {
    fx.undeploy();
  }

  /** Generates one random, mostly invalid, request: [action header or null, body]. */
  static final class Generator {
    final Random random;
    final List<ActionSpec> ops = new ArrayList<>(Actions.cachex().all().values());

    Generator(long seed) {
      random = new Random(seed);
    }

    Object junk(int depth) {
      switch (random.nextInt(depth > 30 ? 8 : 11)) {
        case 0: return null;
        case 1: return random.nextBoolean();
        case 2: return random.nextLong();
        case 3: return random.nextDouble() * 1e300;
        case 4: return "";
        case 5: return "k" + random.nextInt(50);
        case 6: return "x".repeat(random.nextInt(200_000));
        case 7: return new String(new char[] {'\uD800', 'a', '\uDFFF', '\u0000'}); // lone surrogates, NUL
        case 8: return new JsonArray().add(junk(depth + 1)).add(junk(depth + 1));
        case 9: return new JsonObject().put("timeout", junk(depth + 1)).put("version", junk(depth + 1)).put("nx", junk(depth + 1));
        default: return nest(depth + 1 + random.nextInt(200));
      }
    }

    Object nest(int depth) {
      Object v = "deep";
      for (int i = 0; i < depth; i++) {
        v = random.nextBoolean() ? new JsonArray().add(v) : new JsonObject().put("d", v);
      }
      return v;
    }

    String action() {
      int r = random.nextInt(20);
      if (r == 0) {
        return null;
      }
      if (r == 1) {
        return "no_such_action_" + random.nextInt(1000);
      }
      return ops.get(random.nextInt(ops.size())).name();
    }

    JsonObject body(String action) {
      JsonObject body = new JsonObject();
      ActionSpec op = action == null ? null : Actions.cachex().find(action);
      if (op != null) {
        for (Param p : op.params()) {
          if (random.nextInt(4) != 0) {
            body.put(p.name(), junk(0));
          }
        }
      }
      if (random.nextInt(10) == 0) {
        body.put("unexpected", junk(0));
      }
      return body;
    }
  }

  @Test
  void eventBusAnswersEveryMalformedMessage() {
    Generator g = new Generator(42);
    Map<String, Integer> outcomes = new TreeMap<>();
    int batch = 500;
    for (int sent = 0; sent < MESSAGES; sent += batch) {
      List<Future<?>> replies = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        String action = g.action();
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(20_000);
        if (action != null) {
          options.addHeader("action", action);
        }
        Object body = g.random.nextInt(50) == 0 ? g.junk(0) : g.body(action);
        replies.add(fx.vertx.eventBus().request(fx.address, body, options));
      }
      Future.join(replies).otherwiseEmpty().await();
      for (Future<?> r : replies) {
        String outcome = r.succeeded() ? "ok" : outcome(r.cause());
        outcomes.merge(outcome, 1, Integer::sum);
      }
    }
    assertNoCrash(outcomes);
    assertEquals(MESSAGES, outcomes.values().stream().mapToInt(Integer::intValue).sum());
    fx.cache.set("after-fuzz", 1).await();
    assertEquals(1L, fx.cache.get("after-fuzz").await());
  }

  @Test
  void tcpBridgeAnswersEveryMalformedFrame() throws Exception {
    Generator g = new Generator(7);
    Map<String, Integer> outcomes = new TreeMap<>();
    try (Socket socket = new Socket("127.0.0.1", tcpPort)) {
      socket.setSoTimeout(30_000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int expectedReplies = 0;
      garbageSent = 0;
      for (int i = 0; i < MESSAGES; i++) {
        String action = g.action();
        JsonObject headers = new JsonObject();
        if (action != null) {
          headers.put("action", action);
        }
        if (g.random.nextInt(20) == 0) {
          headers.put("timeout", g.random.nextBoolean() ? "200" : (Object) new JsonArray());
        }
        JsonObject body = g.body(action);
        boolean badUtf8 = g.random.nextInt(50) == 0;
        if (badUtf8) {
          body.put("key", "@@BAD@@");
        }
        JsonObject frame = new JsonObject().put("type", "send").put("address", fx.address)
            .put("headers", headers).put("body", body).put("replyAddress", "r" + i);
        if (g.random.nextInt(50) == 0) { // a junk envelope field: the frame guard answers it
          frame.put(new String[] {"type", "address", "headers"}[g.random.nextInt(3)], g.junk(1));
        }
        byte[] bytes = frame.encode().getBytes(StandardCharsets.UTF_8);
        if (badUtf8) { // invalid UTF-8 inside a string: not valid JSON text (RFC 8259), answered by the frame guard
          String text = new String(bytes, StandardCharsets.ISO_8859_1);
          int at = text.indexOf("@@BAD@@");
          byte[] invalid = {(byte) 0xC3, 0x28, (byte) 0xA0, (byte) 0xA1, (byte) 0xF0, 0x28, (byte) 0x8C};
          System.arraycopy(invalid, 0, bytes, at, invalid.length);
        }
        if (i % 500 == 0) { // not JSON at all: the frame guard answers it with an INVALID_ARGUMENT frame error
          byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
          out.writeInt(garbage.length);
          out.write(garbage);
          garbageSent++;
          expectedReplies++;
        }
        out.writeInt(bytes.length);
        out.write(bytes);
        expectedReplies++;
        if (expectedReplies >= 200 || i == MESSAGES - 1) {
          out.flush();
          for (int r = 0; r < expectedReplies; r++) {
            byte[] reply = new byte[in.readInt()];
            in.readFully(reply);
            JsonObject json = new JsonObject(Buffer.buffer(reply));
            String outcome = "message".equals(json.getString("type")) ? "ok"
                : "err".equals(json.getString("type")) ? errOutcome(json) : "unexpected:" + json.getString("type");
            outcomes.merge(outcome, 1, Integer::sum);
          }
          expectedReplies = 0;
        }
      }
    }
    assertNoCrash(outcomes);
    assertEquals(MESSAGES + garbageSent, outcomes.values().stream().mapToInt(Integer::intValue).sum(), outcomes.toString());
    assertTrue(outcomes.getOrDefault("frame:400:INVALID_ARGUMENT", 0) >= garbageSent, "every non-JSON frame got a frame error: " + outcomes);
    fx.cache.incr("after-bridge-fuzz").await();
    assertEquals(1L, fx.cache.get("after-bridge-fuzz").await());
  }

  static String outcome(Throwable t) {
    if (t instanceof ReplyException) {
      ReplyException e = (ReplyException) t;
      String m = String.valueOf(e.getMessage());
      if (e.failureCode() == 500 || e.failureCode() == -1) {
        return e.failureType() + ":" + e.failureCode() + ":" + abbreviate(m);
      }
      return e.failureType() + ":" + e.failureCode() + ":" + (m.indexOf(' ') > 0 ? m.substring(0, m.indexOf(' ')) : m);
    }
    return "exception:" + t;
  }

  static String abbreviate(String m) {
    return m.length() > 300 ? m.substring(0, 140) + " ... " + m.substring(m.length() - 140) : m;
  }

  static String errOutcome(JsonObject frame) {
    String m = String.valueOf(frame.getString("message"));
    if (m.matches("(?s)[A-Z_]+ frame: .*")) { // refused by the bridge's frame guard, before the service
      return "frame:" + frame.getValue("failureCode") + ":" + m.substring(0, m.indexOf(' '));
    }
    if (Integer.valueOf(500).equals(frame.getValue("failureCode"))) {
      return "err:500:" + abbreviate(m); // keep the message of an internal error, it names the bug
    }
    return "err:" + frame.getValue("failureCode") + ":" + (m.indexOf(' ') > 0 ? m.substring(0, m.indexOf(' ')) : m);
  }

  /** Coded replies (400, 403, 404, 409, 413, 422...) are fine; TIMEOUT, NO_HANDLERS or 500/-1 are not. */
  static void assertNoCrash(Map<String, Integer> outcomes) {
    System.out.println("fuzz outcomes: " + outcomes);
    for (String outcome : outcomes.keySet()) {
      boolean fine = outcome.equals("ok") || outcome.matches("(RECIPIENT_FAILURE|err):(4\\d\\d|501|503|504):[A-Z_]+")
          || outcome.matches("frame:(400|403|413):[A-Z_]+");
      assertTrue(fine, "unexpected outcome " + outcome + " in " + outcomes);
    }
    assertTrue(outcomes.keySet().stream().noneMatch(o -> o.contains(":500:") || o.contains(":-1:")), outcomes.toString());
  }
}
