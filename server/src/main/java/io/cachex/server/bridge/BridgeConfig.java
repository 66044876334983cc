package io.cachex.server.bridge;

import io.cachex.api.config.ConfigException;
import io.cachex.api.config.ConfigSection;
import io.vertx.core.json.JsonObject;

/** The {@code bridges} section: which bridges listen where, and the policy they apply. */
public final class BridgeConfig {
  public final String host;
  /** TCP bridge port; null: no TCP bridge. */
  public final Integer tcpPort;
  public final int tcpIdleTimeoutSeconds;
  public final int tcpMaxFrameBytes;
  public final int tcpFrameTimeoutMs;
  public final long tcpMaxBufferedBytes;
  public final int tcpMaxInFlightPerClient;
  /** SockJS bridge port; null: no SockJS bridge. */
  public final Integer sockJsPort;
  public final String sockJsPath;
  public final long sockJsReplyTimeoutMs;
  public final int sockJsMaxMessageBytes;
  /** What {@link io.cachex.service.bridge.BridgePolicy} reads (allowedActions, deniedActions, token). */
  public final JsonObject policy;

  public BridgeConfig(ConfigSection b) {
    host = b.string("host", "127.0.0.1");
    ConfigSection tcp = b.section("tcp");
    tcpPort = tcp.optionalInteger("port", 0, "none (no TCP bridge)");
    tcpIdleTimeoutSeconds = tcp.integer("idleTimeoutSeconds", 0, 0);
    tcpMaxFrameBytes = tcp.integer("maxFrameBytes", 32 * 1024 * 1024, 16);
    tcpFrameTimeoutMs = tcp.integer("frameTimeoutMs", 30_000, 1);
    tcpMaxBufferedBytes = tcp.integer("maxBufferedBytes", 64 * 1024 * 1024, 16);
    tcpMaxInFlightPerClient = tcp.integer("maxInFlightPerClient", 1000, 1);
    if (tcpMaxBufferedBytes < tcpMaxFrameBytes) {
      throw new ConfigException(tcp.describe("maxBufferedBytes") + " must be at least bridges.tcp.maxFrameBytes ("
          + tcpMaxFrameBytes + "), or a frame of that size could never be read");
    }
    ConfigSection sockJs = b.section("sockjs");
    sockJsPort = sockJs.optionalInteger("port", 0, "none (no SockJS bridge)");
    sockJsPath = sockJs.string("path", "/eventbus");
    sockJsReplyTimeoutMs = sockJs.integer("replyTimeoutMs", 30_000, 1);
    sockJsMaxMessageBytes = sockJs.integer("maxMessageBytes", 32 * 1024 * 1024, 1024);
    policy = new JsonObject();
    policy.put("allowedActions", new io.vertx.core.json.JsonArray(b.strings("allowedActions", "all but the restricted ones")));
    policy.put("deniedActions", new io.vertx.core.json.JsonArray(b.strings("deniedActions", "[]")));
    String token = b.string("token", null);
    if (token != null) {
      policy.put("token", token);
    }
  }
}
