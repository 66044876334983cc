package io.cachex.server.reliability;

import io.cachex.servers.LocalServerProcess;
import io.cachex.servers.RedisServers;
import io.cachex.servers.ServerOptions;
import io.cachex.service.support.ChildJvm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runnable jar as an operator runs it ({@code java -Xmx1g -jar target/cachex-server.jar config.json},
 * a child process) next to a real Valkey/Redis process, tried from outside over real sockets: hostile
 * bridge clients, a Redis that hangs (SIGSTOP) and one that dies, a bad config, SIGTERM. Runs after
 * {@code package} (failsafe), since it needs the jar. Bounds are generous: they only keep a broken
 * service from hanging the build; the figures are printed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceJarIT {
  static final Path JAR = Path.of("target", "cachex-server.jar");
  static final String ADDRESS = "cachex";
  static final int COMMAND_TIMEOUT_MS = 1000;
  /** The heap the defaults are chosen for. */
  static final String HEAP = "1g";

  static LocalServerProcess redis;
  static ChildJvm service;
  static Path config;
  static int bridgePort;
  static int monitoringPort;

  @BeforeAll
  static void start() throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is built by 'package', before this test");
    redis = RedisServers.startWithBinary(RedisServers.topologyBinary(), new ServerOptions());
    bridgePort = freePort();
    monitoringPort = freePort();
    config = Files.createTempFile("cachex-jar-", ".json");
    Files.writeString(config, new JsonObject()
        .put("redis", new JsonObject().put("endpoints", new JsonArray().add(redis.uri()))
            .put("commandTimeoutMs", COMMAND_TIMEOUT_MS).put("connectTimeoutMs", 500))
        .put("bridges", new JsonObject().put("tcp", new JsonObject().put("port", bridgePort).put("frameTimeoutMs", 10_000)))
        .put("monitoring", new JsonObject().put("port", monitoringPort)).encodePrettily());
    service = ChildJvm.ofJar("cachex-jar", JAR, HEAP, List.of(config.toString()));
    service.awaitLine("cachex ready", 60_000);
  }

  @AfterAll
  static void stop() throws IOException {
    if (service != null) {
      service.close();
    }
    if (redis != null) {
      redis.close();
    }
    Files.deleteIfExists(config);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static JsonObject call(BridgeClient client, String action, JsonObject body) throws Exception {
    return client.request(action, body).get(30, TimeUnit.SECONDS);
  }

  static int health(String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitoringPort + path)).timeout(java.time.Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }

  static byte[] frame(JsonObject envelope) {
    return envelope.encode().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @Order(1)
  void hostileClientsDoNotStarveAWellBehavedOne() throws Exception {
    List<Socket> stalled = new ArrayList<>();
    List<Socket> attackerSockets = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> attackers = new ArrayList<>();
    try (BridgeClient good = new BridgeClient(bridgePort, ADDRESS)) {
      // slowloris: 30 connections that announce 1 MB and stop after 100 bytes
      for (int i = 0; i < 30; i++) {
        Socket s = new Socket("127.0.0.1", bridgePort);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(1_000_000);
        out.write(new byte[100]);
        out.flush();
        stalled.add(s);
      }
      // a client that sends requests with 1 KiB values as fast as it can and never reads a reply
      attackers.add(thread("never-reads", () -> {
        Socket s = open(attackerSockets);
        {
          DataOutputStream out = new DataOutputStream(s.getOutputStream());
          byte[] set = frame(new JsonObject().put("type", "send").put("address", ADDRESS).put("replyAddress", "x")
              .put("headers", new JsonObject().put("action", "set"))
              .put("body", new JsonObject().put("key", "hostile").put("value", new JsonArray().add("v".repeat(1024)))));
          while (!stop.get()) {
            out.writeInt(set.length);
            out.write(set); // blocks once the service stops reading from it: that is the point
          }
        }
      }));
      // garbage: random bytes, junk envelopes, JSON nested far deeper than any parser allows
      attackers.add(thread("garbage", () -> {
        Random random = new Random(11);
        Socket s = open(attackerSockets);
        {
          DataOutputStream out = new DataOutputStream(s.getOutputStream());
          InputStream drain = s.getInputStream();
          for (int i = 0; i < 2000 && !stop.get(); i++) {
            byte[] payload;
            switch (i % 4) {
              case 0: payload = new byte[random.nextInt(2000)]; random.nextBytes(payload); break;
              case 1: payload = frame(new JsonObject().put("type", random.nextInt()).put("address", new JsonArray())); break;
              case 2: payload = ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8); break;
              default: payload = frame(new JsonObject().put("type", "send").put("address", ADDRESS).put("replyAddress", "g" + i)
                  .put("headers", new JsonObject().put("action", "get").put("timeout", "soon")).put("body", new JsonObject()));
            }
            out.writeInt(payload.length);
            out.write(payload);
            out.flush();
            drain.skip(drain.available());
          }
        }
      }));
      // connections opened and dropped, some in the middle of a frame
      attackers.add(thread("churn", () -> {
        for (int i = 0; i < 200 && !stop.get(); i++) {
          try (Socket s = new Socket("127.0.0.1", bridgePort)) {
            if (i % 2 == 0) {
              new DataOutputStream(s.getOutputStream()).writeInt(500);
              s.getOutputStream().write(new byte[7]);
            }
          }
        }
      }));
      attackers.forEach(Thread::start);

      long[] latencies = new long[300];
      for (int i = 0; i < latencies.length; i++) {
        long t0 = System.nanoTime();
        JsonObject reply = call(good, "incr", new JsonObject().put("key", "counted"));
        latencies[i] = System.nanoTime() - t0;
        assertEquals("message", reply.getString("type"), reply.encode());
        assertEquals(i + 1L, reply.getLong("body"), "every increment counted once");
      }
      Arrays.sort(latencies);
      System.out.printf("well-behaved client beside hostile ones: 300 calls, median %.1f ms, p99 %.1f ms, max %.1f ms%n",
          latencies[150] / 1e6, latencies[296] / 1e6, latencies[299] / 1e6);

      // the slowloris connections were told and closed once the frame deadline passed
      for (Socket s : stalled) {
        s.setSoTimeout(15_000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] err = new byte[in.readInt()];
        in.readFully(err);
        assertTrue(new String(err, StandardCharsets.UTF_8).contains("TIMEOUT frame"), new String(err, StandardCharsets.UTF_8));
        assertEquals(-1, in.read(), "closed after the error frame");
      }
      stop.set(true);
      assertTrue(service.isAlive());
      assertEquals(200, health("/health/live"));
      assertEquals(300L, call(good, "get", new JsonObject().put("key", "counted")).getLong("body"));
    } finally {
      stop.set(true);
      for (Socket s : stalled) {
        s.close();
      }
      synchronized (attackerSockets) {
        for (Socket s : attackerSockets) {
          s.close();
        }
      }
      for (Thread t : attackers) {
        t.interrupt();
        t.join(10_000);
      }
    }
  }

  /** A connection closed at the end of the test (a write blocked on it ends then). */
  static Socket open(List<Socket> sockets) throws IOException {
    Socket s = new Socket("127.0.0.1", bridgePort);
    synchronized (sockets) {
      sockets.add(s);
    }
    return s;
  }

  interface Attack {
    void run() throws Exception;
  }

  static Thread thread(String name, Attack attack) {
    Thread t = new Thread(() -> {
      try {
        attack.run();
      } catch (Exception ignored) {
        // the service may close an attacker's connection: that is allowed
      }
    }, name);
    t.setDaemon(true);
    return t;
  }

  static final byte[] LARGE_VALUE = "v".repeat(12 * 1024 * 1024).getBytes(StandardCharsets.US_ASCII);

  @Test
  @Order(2)
  void sixteenLargeFramesAtOnceFitTheHeap() throws Exception {
    int clients = 16;
    List<Thread> senders = new ArrayList<>();
    List<String> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
    long t0 = System.nanoTime();
    for (int i = 0; i < clients; i++) {
      String key = "large-" + i;
      senders.add(thread("large-" + i, () -> {
        try (Socket s = new Socket("127.0.0.1", bridgePort)) {
          s.setSoTimeout(60_000);
          // {"type":"send",...,"body":{"key":K,"value":["vvv...v"]}} written in three parts: the value's
          // bytes are shared by all senders, so that the test JVM does not hold sixteen copies
          byte[] head = ("{\"type\":\"send\",\"address\":\"" + ADDRESS + "\",\"replyAddress\":\"" + key
              + "\",\"headers\":{\"action\":\"set\"},\"body\":{\"key\":\"" + key + "\",\"value\":[\"").getBytes(StandardCharsets.UTF_8);
          byte[] tail = "\"]}}".getBytes(StandardCharsets.UTF_8);
          DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16));
          out.writeInt(head.length + LARGE_VALUE.length + tail.length);
          out.write(head);
          out.write(LARGE_VALUE);
          out.write(tail);
          out.flush();
          DataInputStream in = new DataInputStream(s.getInputStream());
          byte[] reply = new byte[in.readInt()];
          in.readFully(reply);
          JsonObject r = new JsonObject(new String(reply, StandardCharsets.UTF_8));
          outcomes.add("message".equals(r.getString("type")) ? "stored" : r.encode());
        } catch (Exception e) {
          outcomes.add(e.toString());
        }
      }));
    }
    senders.forEach(Thread::start);
    long[] latencies = new long[100];
    try (BridgeClient good = new BridgeClient(bridgePort, ADDRESS)) {
      for (int i = 0; i < latencies.length; i++) {
        long c0 = System.nanoTime();
        assertEquals("message", call(good, "incr", new JsonObject().put("key", "beside-large")).getString("type"));
        latencies[i] = System.nanoTime() - c0;
      }
    }
    for (Thread t : senders) {
      t.join(120_000);
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    Arrays.sort(latencies);
    System.out.printf("16 clients sending a 12 MiB value each at once (-Xmx" + HEAP + "): all stored in %d ms; "
        + "a small client beside them: median %.1f ms, max %.1f ms%n", ms, latencies[50] / 1e6, latencies[99] / 1e6);
    assertEquals(java.util.Collections.nCopies(clients, "stored"), outcomes, "every large set stored");
    assertTrue(service.isAlive());
    assertEquals(200, health("/health/live"));
  }

  @Test
  @Order(3)
  void aHungRedisAnswersTimeoutThenRecovers() throws Exception {
    try (BridgeClient client = new BridgeClient(bridgePort, ADDRESS)) {
      assertEquals("message", call(client, "set", new JsonObject().put("key", "hung").put("value", new JsonArray().add(1))).getString("type"));
      redis.pause();
      try {
        long t0 = System.nanoTime();
        JsonObject reply = call(client, "get", new JsonObject().put("key", "hung"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(504, reply.getInteger("failureCode"), reply.encode());
        assertTrue(reply.getString("message").startsWith("TIMEOUT get(hung)"), reply.encode());
        System.out.printf("hung Redis: TIMEOUT after %d ms (redis.commandTimeoutMs %d)%n", ms, COMMAND_TIMEOUT_MS);
        assertTrue(ms >= COMMAND_TIMEOUT_MS - 50, "not before the deadline: " + ms);
        assertEquals(503, health("/health/ready"));
        assertEquals(200, health("/health/live"), "the node itself is fine: no restart");
      } finally {
        redis.resume();
      }
      assertEquals(1L, awaitOk(client, "get", new JsonObject().put("key", "hung")).getLong("body"));
      assertEquals(200, health("/health/ready"));
    }
  }

  @Test
  @Order(4)
  void aDeadRedisAnswersUnavailableThenRecovers() throws Exception {
    try (BridgeClient client = new BridgeClient(bridgePort, ADDRESS)) {
      redis.kill();
      JsonObject reply = call(client, "incr", new JsonObject().put("key", "dead"));
      assertEquals("err", reply.getString("type"), reply.encode());
      assertTrue(reply.getInteger("failureCode") == 503 || reply.getInteger("failureCode") == 504, reply.encode());
      assertEquals(503, health("/health/ready"));
      redis.restart();
      long t0 = System.nanoTime();
      assertEquals(1L, awaitOk(client, "incr", new JsonObject().put("key", "dead")).getLong("body"));
      System.out.printf("dead Redis restarted: serving again after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }
  }

  /** Calls until the reply is a success (at most 30 s), as a client retrying an UNAVAILABLE would. */
  static JsonObject awaitOk(BridgeClient client, String action, JsonObject body) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    JsonObject reply;
    do {
      reply = call(client, action, body);
      if ("message".equals(reply.getString("type"))) {
        return reply;
      }
      Thread.sleep(100);
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError("no success within 30 s, last reply " + reply.encode());
  }

  @Test
  @Order(5)
  void aBadConfigStopsTheJarWithOneLineNamingTheOption() throws Exception {
    Path bad = Files.createTempFile("cachex-bad-", ".json");
    try {
      Files.writeString(bad, "{\"redis\": {\"endpoints\": [\"redis://u:hunter,22@127.0.0.1:1\"], \"comandTimeoutMs\": 5}}");
      try (ChildJvm jvm = ChildJvm.ofJar("cachex-bad", JAR, HEAP, List.of(bad.toString()))) {
        assertEquals(1, jvm.awaitExit(60_000), String.join("\n", jvm.output()));
        String out = String.join("\n", jvm.output());
        assertTrue(out.contains("cachex failed to start: ") && out.contains("'redis.comandTimeoutMs'")
            && out.contains("did you mean 'redis.commandTimeoutMs'"), out);
        assertTrue(!out.contains("hunter,22") && !out.contains("\tat "), "no secret, no stack trace: " + out);
      }
    } finally {
      Files.deleteIfExists(bad);
    }
  }

  @Test
  @Order(6)
  void sigtermStopsTheServiceWithExitCodeZero() throws Exception {
    try (BridgeClient client = new BridgeClient(bridgePort, ADDRESS)) {
      assertEquals("message", call(client, "incr", new JsonObject().put("key", "last")).getString("type"));
    }
    AtomicLong t0 = new AtomicLong(System.nanoTime());
    service.terminate();
    int code = service.awaitExit(30_000);
    System.out.printf("SIGTERM: exited %d after %d ms%n", code, (System.nanoTime() - t0.get()) / 1_000_000);
    assertEquals(0, code, String.join("\n", service.output()));
    assertTrue(service.output().stream().anyMatch(l -> l.startsWith("cachex stopped")), String.join("\n", service.output()));
  }
}
