package io.cachex.service.support;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

/**
 * A loopback TCP proxy in front of the test server that holds every chunk the client sends for
 * {@code delayMs} before forwarding it (in order): each round trip to Redis through it costs at
 * least {@code delayMs}, so elapsed time counts round trips.
 */
public final class LatencyProxy {
  private final NetServer server;
  private final NetClient client;

  private LatencyProxy(NetServer server, NetClient client) {
    this.server = server;
    this.client = client;
  }

  public static LatencyProxy start(Vertx vertx, String host, int port, long delayMs) {
    NetClient client = vertx.createNetClient();
    NetServer server = vertx.createNetServer().connectHandler(in -> {
      in.pause();
      client.connect(port, host).onComplete(ar -> {
        if (ar.failed()) {
          in.close();
          return;
        }
        NetSocket out = ar.result();
        out.handler(in::write);
        // same delay for every chunk on one event loop: timers fire in the order they were set
        in.handler(buf -> vertx.setTimer(delayMs, id -> out.write(buf)));
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        in.resume();
      });
    });
    server.listen(0, "127.0.0.1").await();
    return new LatencyProxy(server, client);
  }

  public String uri() {
    return "redis://127.0.0.1:" + server.actualPort();
  }

  public void close() {
    server.close().await();
    client.close().await();
  }
}
