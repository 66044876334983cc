package io.cachex.servers;

import java.nio.file.Path;

/** Run in a child JVM by {@link LocalServerProcessTest}: starts a server, prints its pid, exits without closing it. */
public final class OrphanCheckMain {
  public static void main(String[] args) {
    LocalServerProcess server = RedisServers.startWithBinary(Path.of(args[0]), new ServerOptions());
    System.out.println("pid=" + server.pid() + " port=" + server.port() + " dir=" + server.dir());
    System.out.flush();
    System.exit(0);   // no close(): the shutdown hook must kill the server
  }
}
