package io.cachex.server.reliability;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Two service JVMs with the same config and two TCP bridge clients on each (four in all). */
final class ServiceDeployment implements AutoCloseable {
  static final int CLIENTS_PER_SERVICE = 2;
  private static final Pattern WAITED = Pattern.compile("waited (\\d+) ms for the new primary");

  final List<ServiceProcess> services;
  final List<BridgeClient> clients = new ArrayList<>();

  ServiceDeployment(JsonObject config) throws Exception {
    services = ServiceProcess.start(List.of(config, config), 60_000);
    try {
      for (ServiceProcess s : services) {
        for (int i = 0; i < CLIENTS_PER_SERVICE; i++) {
          clients.add(new BridgeClient(s.bridgePort, config.getString("address", "cachex")));
        }
      }
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  /** The "waited N ms for the new primary" figures the services logged (one per verticle instance and failover). */
  List<Long> waits() {
    List<Long> waits = new ArrayList<>();
    for (String line : log("for the new primary")) {
      Matcher m = WAITED.matcher(line);
      if (m.find()) {
        waits.add(Long.parseLong(m.group(1)));
      }
    }
    return waits;
  }

  /** The services' output lines that contain {@code text}. */
  List<String> log(String text) {
    List<String> lines = new ArrayList<>();
    services.forEach(s -> lines.addAll(s.logLines(text)));
    return lines;
  }

  @Override
  public void close() {
    clients.forEach(BridgeClient::close);
    services.forEach(ServiceProcess::close);
  }
}
