package io.cachex.server.bridge;

import io.vertx.core.Future;
import io.vertx.core.Handler;
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
  private final int maxFrameBytes;
  private final NetClient client;
  private int bridgePort;
  private NetServer server;

  TcpFrameGuard(Vertx vertx, int maxFrameBytes) {
    this.vertx = vertx;
    this.maxFrameBytes = maxFrameBytes;
    this.client = vertx.createNetClient();
  }

  /** Listens on {@code host:port} for clients and forwards their frames to the bridge on loopback {@code bridgePort}. */
  Future<NetServer> listen(int bridgePort, int port, String host, NetServerOptions options) {
    this.bridgePort = bridgePort;
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
      bridge.handler(new FrameReader(Integer.MAX_VALUE, frame -> {
        socket.write(frame);
        if (socket.writeQueueFull()) {
          bridge.pause();
        }
      }, tooLarge -> socket.close()));
      bridge.closeHandler(v -> socket.close());
      socket.drainHandler(v -> bridge.resume());
      socket.closeHandler(v -> bridge.close());
      socket.handler(new FrameReader(maxFrameBytes, frame -> {
        try {
          new JsonObject(frame.getBuffer(4, frame.length()));
          bridge.write(frame);
        } catch (DecodeException | ClassCastException e) {
          error(socket, "invalid_json: the frame is not a JSON object (" + abbreviate(e.getMessage()) + ")");
        }
      }, announced -> {
        error(socket, "frame_too_large: " + Integer.toUnsignedString(announced) + " bytes announced, bridges.tcp.maxFrameBytes is " + maxFrameBytes);
        socket.close();
      }));
      socket.resume();
    });
  }

  private static void error(NetSocket socket, String message) {
    Buffer json = new JsonObject().put("type", "err").put("message", message).toBuffer();
    socket.write(Buffer.buffer(4 + json.length()).appendInt(json.length()).appendBuffer(json));
  }

  /**
   * Splits a byte stream into frames (4-byte big-endian length, then the payload) and hands on each
   * whole frame, length included; a frame announcing more than {@code maxFrameBytes} stops the reader.
   */
  private static final class FrameReader implements Handler<Buffer> {
    private final int maxFrameBytes;
    private final Handler<Buffer> onFrame;
    private final Handler<Integer> onTooLarge;
    private Buffer pending = Buffer.buffer();
    private boolean stopped;

    FrameReader(int maxFrameBytes, Handler<Buffer> onFrame, Handler<Integer> onTooLarge) {
      this.maxFrameBytes = maxFrameBytes;
      this.onFrame = onFrame;
      this.onTooLarge = onTooLarge;
    }

    @Override
    public void handle(Buffer data) {
      if (stopped) {
        return;
      }
      pending.appendBuffer(data);
      int offset = 0;
      while (pending.length() - offset >= 4) {
        int length = pending.getInt(offset);
        if (length < 0 || length > maxFrameBytes) {
          stopped = true;
          onTooLarge.handle(length);
          return;
        }
        if (pending.length() - offset - 4 < length) {
          break;
        }
        onFrame.handle(pending.getBuffer(offset, offset + 4 + length));
        offset += 4 + length;
      }
      pending = offset == pending.length() ? Buffer.buffer() : pending.getBuffer(offset, pending.length());
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
