package io.cachex.server.bridge;

import io.cachex.api.CachexService;
import io.cachex.api.config.ConfigSection;
import io.cachex.service.bridge.BridgePolicy;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
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
    ConfigSection root = ConfigSection.root(config());
    String address = root.string("address", CachexService.DEFAULT_ADDRESS);
    ConfigSection section = root.section("bridges");
    BridgeConfig bridges = new BridgeConfig(section);
    section.rejectUnknown();
    BridgePolicy policy = new BridgePolicy(bridges.policy);
    // bridge clients may listen to the service's near-cache invalidations (docs/PROTOCOL.md "Invalidations")
    String invalidations = invalidationAddress(root.rawJson(), address);
    List<Future<?>> started = new ArrayList<>();

    if (bridges.tcpPort != null) {
      BridgeOptions options = new BridgeOptions().addInboundPermitted(new PermittedOptions().setAddress(address))
          .addOutboundPermitted(new PermittedOptions().setAddress(invalidations));
      NetServerOptions server = new NetServerOptions().setIdleTimeout(bridges.tcpIdleTimeoutSeconds);
      // the bridge itself listens on loopback only; clients reach it through the frame guard
      // (the bridge reports no actual port, so it gets a free one chosen here)
      int internalPort = freeLoopbackPort();
      tcp = TcpEventBusBridge.create(vertx, options, new NetServerOptions(), event -> handle(policy, event));
      guard = new TcpFrameGuard(vertx, address, invalidations, bridges.tcpMaxFrameBytes, bridges.tcpFrameTimeoutMs,
          bridges.tcpMaxBufferedBytes, bridges.tcpMaxInFlightPerClient);
      started.add(tcp.listen(internalPort, "127.0.0.1")
          .compose(internal -> guard.listen(internalPort, bridges.tcpPort, bridges.host, server))
          .onSuccess(s -> tcpPort = s.actualPort())
          .recover(err -> Future.failedFuture(listenFailure("the TCP bridge", bridges.host, bridges.tcpPort, err))));
    }

    if (bridges.sockJsPort != null) {
      SockJSBridgeOptions options = new SockJSBridgeOptions()
          .addInboundPermitted(new PermittedOptions().setAddress(address))
          .addOutboundPermitted(new PermittedOptions().setAddress(invalidations))
          .setReplyTimeout(bridges.sockJsReplyTimeoutMs);
      Router router = Router.router(vertx);
      router.route(bridges.sockJsPath + "/*").subRouter(SockJSHandler.create(vertx).bridge(options, event -> handle(policy, event)));
      // WebSocket transport: Vert.x's default (256 KiB a message) would close the socket of a browser
      // that stores a larger value, so the limit is the bridge's own
      HttpServerOptions httpOptions = new HttpServerOptions()
          .setMaxWebSocketFrameSize(bridges.sockJsMaxMessageBytes)
          .setMaxWebSocketMessageSize(bridges.sockJsMaxMessageBytes);
      started.add(vertx.createHttpServer(httpOptions).requestHandler(router).listen(bridges.sockJsPort, bridges.host)
          .onSuccess(s -> {
            http = s;
            sockJsPort = s.actualPort();
          })
          .recover(err -> Future.failedFuture(listenFailure("the SockJS bridge", bridges.host, bridges.sockJsPort, err))));
    }
    return Future.all(started);
  }

  /** The service's {@code nearCache.invalidationAddress}, by default {@code <address>.invalidations}. */
  static String invalidationAddress(JsonObject config, String address) {
    Object near = config.getValue("nearCache");
    Object configured = near instanceof JsonObject ? ((JsonObject) near).getValue("invalidationAddress") : null;
    return configured instanceof String ? (String) configured : address + io.cachex.api.near.Invalidations.ADDRESS_SUFFIX;
  }

  /** "the TCP bridge cannot listen on 127.0.0.1:7000 (Address already in use)" */
  static IllegalStateException listenFailure(String listener, String host, int port, Throwable err) {
    return new IllegalStateException(listener + " cannot listen on " + host + ":" + port + " (" + err.getMessage() + ")");
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
