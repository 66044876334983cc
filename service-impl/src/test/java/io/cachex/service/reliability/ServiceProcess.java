package io.cachex.service.reliability;

import io.cachex.service.CachexMain;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The service as users run it: a separate JVM running {@link CachexMain} from the test classpath with a
 * config file that enables the TCP bridge on a free port. Its output is kept (the service logs when it
 * leaves a primary and how long commands waited).
 */
final class ServiceProcess implements AutoCloseable {
  final int bridgePort;
  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final CountDownLatch ready = new CountDownLatch(1);
  private final Path configFile;

  private ServiceProcess(JsonObject config) throws IOException {
    this.bridgePort = freePort();
    JsonObject withBridge = config.copy().put("bridges", new JsonObject().put("tcp", new JsonObject().put("port", bridgePort)));
    this.configFile = Files.createTempFile("cachex-service-", ".json");
    Files.writeString(configFile, withBridge.encodePrettily());
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), CachexMain.class.getName(), configFile.toString())
        .redirectErrorStream(true);
    pb.environment().remove("CACHEX_REDIS_URI");
    this.process = pb.start();
    Thread pump = new Thread(this::pump, "service-output-" + bridgePort);
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts one service JVM per config in parallel and waits until each prints its ready line. */
  static List<ServiceProcess> start(List<JsonObject> configs, long timeoutMs) throws Exception {
    List<ServiceProcess> started = new ArrayList<>();
    try {
      for (JsonObject config : configs) {
        started.add(new ServiceProcess(config));
      }
      for (ServiceProcess p : started) {
        if (!p.ready.await(timeoutMs, TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("service JVM not ready within " + timeoutMs + " ms; output: " + p.output());
        }
      }
      return started;
    } catch (Exception | Error e) {
      started.forEach(ServiceProcess::close);
      throw e;
    }
  }

  private void pump() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (output) {
          output.add(line);
        }
        if (line.startsWith("cachex ready")) {
          ready.countDown();
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  List<String> output() {
    synchronized (output) {
      return new ArrayList<>(output);
    }
  }

  /** Lines of the service's own log that contain {@code text}. */
  List<String> logLines(String text) {
    List<String> found = new ArrayList<>();
    for (String line : output()) {
      if (line.contains(text)) {
        found.add(line);
      }
    }
    return found;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try {
      Files.deleteIfExists(configFile);
    } catch (IOException ignored) {
      // temp file
    }
  }
}
