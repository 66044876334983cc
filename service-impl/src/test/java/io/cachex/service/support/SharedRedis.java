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

  public static synchronized RedisServer get() {
    if (server == null) {
      server = RedisServers.start();
      RedisServer s = server;
      Runtime.getRuntime().addShutdownHook(new Thread(s::close));
    }
    return server;
  }
}
