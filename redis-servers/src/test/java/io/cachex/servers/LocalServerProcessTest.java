package io.cachex.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LocalServerProcessTest {

  private static final Path BINARY = RedisServers.topologyBinary();

  @Test
  void closeReallyStopsTheProcess() {
    LocalServerProcess server = RedisServers.startWithBinary(BINARY, new ServerOptions());
    long pid = server.pid();
    Path dir = server.dir();
    assertTrue(ProcessHandle.of(pid).isPresent());
    server.close();
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still alive");
    assertRefuses(server.port());
    assertFalse(Files.exists(dir), "temp dir is deleted");
    server.close();   // idempotent
    assertThrows(IllegalStateException.class, server::restart);
  }

  @Test
  void killRestartPauseResume() {
    try (LocalServerProcess server = RedisServers.startWithBinary(BINARY, new ServerOptions())) {
      int port = server.port();
      long pid = server.pid();

      server.kill();
      assertFalse(server.isRunning());
      assertRefuses(port);

      server.restart();
      assertEquals(port, server.port(), "restart keeps the port");
      assertNotEquals(pid, server.pid());
      assertPong(server);

      server.pause();
      assertTrue(server.isPaused());
      try (RespSocket hung = server.connect(Duration.ofMillis(300))) {
        // connect succeeds (the kernel accepts), the answer never comes
        fail(hung);
      } catch (UncheckedIOException expected) {
        assertTrue(expected.getMessage().contains("timed out") || expected.getCause() != null, expected.toString());
      }
      server.resume();
      assertFalse(server.isPaused());
      assertPong(server);

      server.pause();
      server.restart();   // restart of a paused process resumes it first so SIGTERM can land
      assertPong(server);
    }
  }

  private static void fail(RespSocket hung) {
    Object reply = hung.call("PING");
    throw new AssertionError("a paused server answered " + reply);
  }

  @Test
  void retriesOnAnotherPortWhenThePortIsTaken() throws Exception {
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      int taken = squatter.getLocalPort();
      Queue<Integer> ports = new ArrayDeque<>(List.of(taken));
      try (LocalServerProcess server = LocalServerProcess.startServer(BinaryInfo.of(BINARY), Dirs.create("cachex-redis-"),
          true, new ServerOptions(), List.of(), () -> ports.isEmpty() ? Ports.free(false) : ports.poll())) {
        assertNotEquals(taken, server.port());
        assertTrue(server.log().contains("Address already in use"), server.log());
        assertPong(server);
      }
    }
  }

  @Test
  void fixedPortIsNotRetried() throws Exception {
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> RedisServers.startWithBinary(BINARY, new ServerOptions().port(squatter.getLocalPort())));
      assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
    }
  }

  @Test
  void aServerThatDiesReportsItsOutput() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RedisServers.startWithBinary(BINARY, new ServerOptions().args("--no-such-directive", "x")));
    assertTrue(e.getMessage().contains("exited with code"), e.getMessage());
    assertTrue(e.getMessage().contains("no-such-directive"), e.getMessage());
  }

  @Test
  void shutdownHookKillsServersOfAJvmThatForgotToClose() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        OrphanCheckMain.class.getName(), BINARY.toString()).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, child.exitValue(), output);
    String line = output.lines().filter(l -> l.startsWith("pid=")).findFirst().orElseThrow(() -> new AssertionError(output));
    long pid = Long.parseLong(line.substring(4, line.indexOf(' ')));
    int port = Integer.parseInt(line.substring(line.indexOf("port=") + 5, line.indexOf(" dir=")));
    Path dir = Path.of(line.substring(line.indexOf("dir=") + 4));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "orphaned server " + pid);
    assertRefuses(port);
    assertFalse(Files.exists(dir), "the hook also deletes the temp dir " + dir);
  }

  static void assertPong(RedisServer server) {
    try (RespSocket redis = server.connect()) {
      assertEquals("PONG", redis.call("PING"));
    }
  }

  static void assertRefuses(int port) {
    assertThrows(UncheckedIOException.class, () -> {
      try (RespSocket socket = RespSocket.connect("127.0.0.1", port, Duration.ofMillis(500), null)) {
        socket.call("PING");
      }
    }, "port " + port + " still answers");
  }
}
