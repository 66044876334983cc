package io.cachex.service.support;

import io.cachex.servers.RedisServer;
import io.cachex.servers.RedisServers;

/**
 * One real Valkey/Redis process for the whole test JVM (started on first use on a free loopback
 * port, stopped at JVM exit). Test classes isolate themselves by key prefix, not by server.
 */
public final class SharedRedis {
  private static RedisServer server;

  private SharedRedis() {
  }

  /**
   * The shared server. With {@code -Dcachex.test.flavor=redis} (or {@code valkey}) the binary of that
   * name on PATH is used, so the same suite runs against both servers (surefire executions).
   */
  public static synchronized RedisServer get() {
    if (server == null) {
      String flavor = System.getProperty("cachex.test.flavor");
      java.nio.file.Path binary = flavor == null ? null : RedisServers.localBinaries().stream()
          .filter(b -> b.getFileName().toString().startsWith(flavor)).findFirst().orElse(null);
      if (flavor != null && binary == null) {
        System.err.println("cachex tests: no " + flavor + "-server on PATH; using the default server instead");
      }
      server = binary == null ? RedisServers.start() : RedisServers.startWithBinary(binary, new io.cachex.servers.ServerOptions());
      System.out.println("cachex tests: shared server " + server.description());
      RedisServer s = server;
      Runtime.getRuntime().addShutdownHook(new Thread(s::close));
    }
    return server;
  }
}
