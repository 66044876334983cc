package io.cachex.service.bridge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * The public side of the TCP bridge. vertx-tcp-eventbus-bridge logs and drops a frame that is not
 * JSON (it has no reply address to answer) and buffers a frame of any announced length; this guard
 * reads the frames first, answers a malformed one with an {@code err} frame
 * ({@code invalid_json: ...}), closes a connection that announces a frame over
 * {@code maxFrameBytes} ({@code frame_too_large}), and forwards every good frame unchanged to the
 * bridge listening on a loopback port of its own.
 */
final class TcpFrameGuard {
  private final Vertx vertx;
  private final int bridgePort;
  private final int maxFrameBytes;
  private final NetClient client;
  private NetServer server;

  TcpFrameGuard(Vertx vertx, int bridgePort, int maxFrameBytes) {
    this.vertx = vertx;
    this.bridgePort = bridgePort;
    this.maxFrameBytes = maxFrameBytes;
    this.client = vertx.createNetClient();
  }

  Future<NetServer> listen(int port, String host, NetServerOptions options) {
    return vertx.createNetServer(options).connectHandler(this::accept).listen(port, host).onSuccess(s -> server = s);
  }

  private void accept(NetSocket socket) {
    socket.pause();
    client.connect(bridgePort, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        socket.close();
        return;
      }
      NetSocket bridge = ar.result();
      // whole frames only towards the client, so that an error frame of ours never lands inside a
      // bridge frame that arrived in two TCP chunks
      bridge.handler(new WholeFrames(bridge, socket));
      bridge.closeHandler(v -> socket.close());
      socket.drainHandler(v -> bridge.resume());
      socket.closeHandler(v -> bridge.close());
      socket.handler(new Frames(socket, bridge));
      socket.resume();
    });
  }

  /** Splits the client's byte stream into frames: 4-byte big-endian length, then UTF-8 JSON. */
  private final class Frames implements io.vertx.core.Handler<Buffer> {
    private final NetSocket socket;
    private final NetSocket bridge;
    private Buffer pending = Buffer.buffer();

    Frames(NetSocket socket, NetSocket bridge) {
      this.socket = socket;
      this.bridge = bridge;
    }

    @Override
    public void handle(Buffer data) {
      pending.appendBuffer(data);
      int offset = 0;
      while (pending.length() - offset >= 4) {
        int length = pending.getInt(offset);
        if (length < 0 || length > maxFrameBytes) {
          error("frame_too_large: " + Integer.toUnsignedString(length) + " bytes announced, bridges.tcp.maxFrameBytes is " + maxFrameBytes);
          socket.close();
          return;
        }
        if (pending.length() - offset - 4 < length) {
          break;
        }
        Buffer frame = pending.getBuffer(offset, offset + 4 + length);
        offset += 4 + length;
        try {
          new JsonObject(frame.getBuffer(4, frame.length()));
          bridge.write(frame);
        } catch (DecodeException | ClassCastException e) {
          error("invalid_json: the frame is not a JSON object (" + abbreviate(e.getMessage()) + ")");
        }
      }
      pending = offset == pending.length() ? Buffer.buffer() : pending.getBuffer(offset, pending.length());
    }

    private void error(String message) {
      Buffer json = new JsonObject().put("type", "err").put("message", message).toBuffer();
      socket.write(Buffer.buffer(4 + json.length()).appendInt(json.length()).appendBuffer(json));
    }
  }

  /** Forwards the bridge's frames to the client one whole frame per write, pausing while the client lags. */
  private static final class WholeFrames implements io.vertx.core.Handler<Buffer> {
    private final NetSocket bridge;
    private final NetSocket socket;
    private Buffer pending = Buffer.buffer();

    WholeFrames(NetSocket bridge, NetSocket socket) {
      this.bridge = bridge;
      this.socket = socket;
    }

    @Override
    public void handle(Buffer data) {
      pending.appendBuffer(data);
      int offset = 0;
      while (pending.length() - offset >= 4) {
        int end = offset + 4 + pending.getInt(offset);
        if (pending.length() < end) {
          break;
        }
        socket.write(pending.getBuffer(offset, end));
        offset = end;
      }
      pending = offset == pending.length() ? Buffer.buffer() : pending.getBuffer(offset, pending.length());
      if (socket.writeQueueFull()) {
        bridge.pause();
      }
    }
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "unreadable";
    }
    return s.length() > 120 ? s.substring(0, 120) + "..." : s;
  }

  Future<Void> close() {
    client.close();
    return server == null ? Future.succeededFuture() : server.close();
  }
}
