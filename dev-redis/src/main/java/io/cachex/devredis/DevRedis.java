package io.cachex.devredis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away Valkey/Redis for development: a server binary ({@link RedisBinaries}) started on a free
 * loopback port, without persistence, in a temporary directory. Nothing here is meant for production: a
 * production node is given its Redis in the configuration.
 */
public final class DevRedis implements AutoCloseable {
  private static final long READY_WITHIN_MS = 15_000;

  private final Process process;
  private final Path binary;
  private final Path dir;
  private final int port;

  private DevRedis(Process process, Path binary, Path dir, int port) {
    this.process = process;
    this.binary = binary;
    this.dir = dir;
    this.port = port;
  }

  /** Whether {@link #start()} can find a binary: one on PATH, or the embedded-redis jar on the class path. */
  public static boolean available() {
    return !RedisBinaries.onPath().isEmpty() || RedisBinaries.embeddedAvailable();
  }

  /** Starts a server from the first binary on PATH, else the embedded one; fails when neither exists. */
  public static DevRedis start() {
    List<Path> onPath = RedisBinaries.onPath();
    if (!onPath.isEmpty()) {
      return start(onPath.get(0));
    }
    if (!RedisBinaries.embeddedAvailable()) {
      throw new IllegalStateException("no valkey-server or redis-server on PATH and no embedded-redis jar on the class path");
    }
    return start(RedisBinaries.embedded());
  }

  /** Starts {@code binary}; retries on another port when the chosen one was taken in the meantime. */
  public static DevRedis start(Path binary) {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return startOnce(binary, freeLoopbackPort());
      } catch (IllegalStateException e) {
        last = e;
      }
    }
    throw last;
  }

  private static DevRedis startOnce(Path binary, int port) {
    Path dir;
    try {
      dir = Files.createTempDirectory("cachex-dev-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the development Redis", e);
    }
    Path log = dir.resolve("server.log");
    Process process;
    try {
      process = new ProcessBuilder(binary.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--dir", dir.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + binary, e);
    }
    DevRedis server = new DevRedis(process, binary, dir, port);
    long deadline = System.currentTimeMillis() + READY_WITHIN_MS;
    while (!server.answersPing()) {
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        String output = lastLine(log);
        server.close();
        throw new IllegalStateException(binary.getFileName() + " did not start on port " + port
            + (output.isEmpty() ? "" : ": " + output));
      }
      sleep(50);
    }
    return server;
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:PORT} */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Which binary serves where, for the launcher's output. */
  public String description() {
    return binary.getFileName() + " on 127.0.0.1:" + port
        + (binary.equals(RedisBinaries.embeddedIfExtracted()) ? " (the binary bundled in embedded-redis)" : " (" + binary + ")");
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[5];
      return in.readNBytes(reply, 0, 5) == 5 && "+PONG".equals(new String(reply, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the server and removes its directory. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }

  private static int freeLoopbackPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
    } catch (IOException e) {
      return "";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the development Redis started", e);
    }
  }
}
