package io.cachex.server.reliability;

import io.cachex.service.support.ChildJvm;
import io.cachex.server.CachexMain;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The service as users run it: a separate JVM ({@link ChildJvm}) running {@link CachexMain} from the test
 * classpath with a config file that enables the TCP bridge on a free port. Its output is kept (the service
 * logs when it leaves a primary and how long commands waited).
 */
final class ServiceProcess implements AutoCloseable {
  final int bridgePort;
  private final ChildJvm jvm;
  private final Path configFile;

  private ServiceProcess(JsonObject config) throws IOException {
    this.bridgePort = freePort();
    JsonObject withBridge = config.copy().put("bridges", new JsonObject().put("tcp", new JsonObject().put("port", bridgePort)));
    this.configFile = Files.createTempFile("cachex-service-", ".json");
    Files.writeString(configFile, withBridge.encodePrettily());
    this.jvm = new ChildJvm("service-" + bridgePort, CachexMain.class, List.of(configFile.toString()));
  }

  /** Starts one service JVM per config in parallel and waits until each prints its ready line. */
  static List<ServiceProcess> start(List<JsonObject> configs, long timeoutMs) throws Exception {
    List<ServiceProcess> started = new ArrayList<>();
    try {
      for (JsonObject config : configs) {
        started.add(new ServiceProcess(config));
      }
      for (ServiceProcess p : started) {
        p.jvm.awaitLine("cachex ready", timeoutMs);
      }
      return started;
    } catch (Exception | Error e) {
      started.forEach(ServiceProcess::close);
      throw e;
    }
  }

  List<String> output() {
    return jvm.output();
  }

  /** Lines of the service's own log that contain {@code text}. */
  List<String> logLines(String text) {
    return jvm.lines(text);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    jvm.close();
    try {
      Files.deleteIfExists(configFile);
    } catch (IOException ignored) {
      // temp file
    }
  }
}
