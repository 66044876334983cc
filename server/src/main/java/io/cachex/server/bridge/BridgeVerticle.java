package io.cachex.server.bridge;

import io.cachex.api.CachexService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.bridge.BaseBridgeEvent;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;

import java.util.ArrayList;
import java.util.List;

/**
 * The event-bus bridges for non-Java clients: TCP (vertx-tcp-eventbus-bridge, 4-byte length + JSON
 * frames) and SockJS (vertx-web, for browsers and Node). Both permit inbound messages to the
 * service address only, and apply the {@link BridgePolicy} to each one. Configured by the
 * {@code bridges} section; a bridge without a port is not started.
 */
public class BridgeVerticle extends VerticleBase {
  private TcpEventBusBridge tcp;
  private TcpFrameGuard guard;
  private HttpServer http;
  private int tcpPort = -1;
  private int sockJsPort = -1;

  @Override
  public Future<?> start() {
    JsonObject bridges = config().getJsonObject("bridges", new JsonObject());
    String address = config().getString("address", CachexService.DEFAULT_ADDRESS);
    String host = bridges.getString("host", "127.0.0.1");
    BridgePolicy policy = new BridgePolicy(bridges);
    List<Future<?>> started = new ArrayList<>();

    JsonObject tcpConf = bridges.getJsonObject("tcp");
    if (tcpConf != null && tcpConf.getValue("port") != null) {
      BridgeOptions options = new BridgeOptions().addInboundPermitted(new PermittedOptions().setAddress(address));
      NetServerOptions server = new NetServerOptions().setIdleTimeout(tcpConf.getInteger("idleTimeoutSeconds", 0));
      // the bridge itself listens on loopback only; clients reach it through the frame guard
      int internalPort = freeLoopbackPort();
      tcp = TcpEventBusBridge.create(vertx, options, new NetServerOptions(), event -> handle(policy, event));
      guard = new TcpFrameGuard(vertx, internalPort, tcpConf.getInteger("maxFrameBytes", 32 * 1024 * 1024));
      started.add(tcp.listen(internalPort, "127.0.0.1")
          .compose(b -> guard.listen(tcpConf.getInteger("port"), host, server))
          .onSuccess(s -> tcpPort = s.actualPort()));
    }

    JsonObject sockConf = bridges.getJsonObject("sockjs");
    if (sockConf != null && sockConf.getValue("port") != null) {
      SockJSBridgeOptions options = new SockJSBridgeOptions()
          .addInboundPermitted(new PermittedOptions().setAddress(address))
          .setReplyTimeout(sockConf.getLong("replyTimeout", 30_000L));
      Router router = Router.router(vertx);
      String path = sockConf.getString("path", "/eventbus");
      router.route(path + "/*").subRouter(SockJSHandler.create(vertx).bridge(options, event -> handle(policy, event)));
      started.add(vertx.createHttpServer().requestHandler(router).listen(sockConf.getInteger("port"), host)
          .onSuccess(s -> {
            http = s;
            sockJsPort = s.actualPort();
          }));
    }
    return Future.all(started);
  }

  private static void handle(BridgePolicy policy, BaseBridgeEvent event) {
    if ((event.type() == BridgeEventType.SEND || event.type() == BridgeEventType.PUBLISH) && event.getRawMessage() != null) {
      JsonObject frame = event.getRawMessage();
      policy.apply(frame);
      event.setRawMessage(frame);
    }
    event.complete(true);
  }

  private static int freeLoopbackPort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("no free loopback port for the TCP bridge", e);
    }
  }

  /** The TCP bridge's port (actual, useful with port 0), or -1. */
  public int tcpPort() {
    return tcpPort;
  }

  /** The SockJS bridge's actual port (useful with port 0), or -1. */
  public int sockJsPort() {
    return sockJsPort;
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> closing = new ArrayList<>();
    if (guard != null) {
      closing.add(guard.close());
    }
    if (tcp != null) {
      closing.add(tcp.close());
    }
    if (http != null) {
      closing.add(http.close());
    }
    return Future.join(closing);
  }
}
