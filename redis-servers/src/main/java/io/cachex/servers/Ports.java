package io.cachex.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free loopback ports. The caller must still handle losing the race for the port (we retry on "Address already in use"). */
final class Ports {

  static final String LOOPBACK = "127.0.0.1";
  /** Cluster nodes also listen on port + 10000 (the cluster bus). */
  static final int BUS_PORT_OFFSET = 10000;

  private Ports() {
  }

  /** A port free right now on 127.0.0.1; never 6379. With {@code withBusPort}, port + 10000 is free too. */
  static int free(boolean withBusPort) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
        port = socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot bind any loopback port", e);
      }
      if (port == 6379 || port == 6379 + BUS_PORT_OFFSET) {
        continue;
      }
      if (withBusPort && (port + BUS_PORT_OFFSET > 65535 || !canBind(port + BUS_PORT_OFFSET))) {
        continue;
      }
      return port;
    }
    throw new IllegalStateException("no free loopback port found after 100 attempts");
  }

  static boolean canBind(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
