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

import java.util.Set;

/**
 * The public side of the TCP bridge. vertx-tcp-eventbus-bridge trusts its frames: it logs and drops
 * one that is not JSON, throws (and never answers) on a {@code type}, {@code address} or
 * {@code replyAddress} of the wrong JSON type, answers refusals without the request's reply address,
 * and buffers a frame of any announced length. This guard reads the frames first and answers every
 * frame the bridge would mishandle with one {@code err} frame in the service's error format
 * ({@code "INVALID_ARGUMENT frame: ..."}, {@code "FORBIDDEN frame: ..."}), addressed to the frame's
 * {@code replyAddress} when it has a usable one; it closes a connection that announces a frame over
 * {@code maxFrameBytes} ({@code TOO_LARGE}); every good frame goes on, byte for byte, to the bridge
 * listening on a loopback port of its own.
 */
final class TcpFrameGuard {
  private static final Set<String> TYPES = Set.of("send", "publish", "register", "unregister", "ping");

  private final Vertx vertx;
  private final String serviceAddress;
  private final int maxFrameBytes;
  private final long frameTimeoutMs;
  private final FrameBudget budget;
  private final NetClient client;
  private int bridgePort;
  private NetServer server;

  TcpFrameGuard(Vertx vertx, String serviceAddress, int maxFrameBytes, long frameTimeoutMs, long maxBufferedBytes) {
    this.vertx = vertx;
    this.serviceAddress = serviceAddress;
    this.maxFrameBytes = maxFrameBytes;
    this.frameTimeoutMs = frameTimeoutMs;
    this.budget = new FrameBudget(maxBufferedBytes);
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
      bridge.handler(new FrameReader(Integer.MAX_VALUE, FrameReader.ADMIT_ALL, frame -> {
        socket.write(frame);
        if (socket.writeQueueFull()) {
          // a client that does not read its replies sends no more requests until it does: the
          // replies it is owed wait in TCP buffers, not in the service's memory
          bridge.pause();
          socket.pause();
        }
      }, tooLarge -> socket.close()));
      bridge.closeHandler(v -> socket.close());
      socket.drainHandler(v -> {
        bridge.resume();
        socket.resume();
      });
      bridge.drainHandler(v -> socket.resume());
      Admission admission = new Admission(socket);
      FrameReader fromClient = new FrameReader(maxFrameBytes, admission, frame -> {
        int reserved = admission.takeReserved();
        JsonObject envelope;
        try {
          envelope = new JsonObject(frame.getBuffer(4, frame.length()));
        } catch (DecodeException | ClassCastException e) {
          budget.release(reserved);
          socket.write(error(null, 400, "INVALID_ARGUMENT frame: not a JSON object (" + abbreviate(e.getMessage()) + ")"));
          return;
        }
        Buffer refusal = refusal(envelope);
        if (refusal != null) {
          budget.release(reserved);
          socket.write(refusal);
          return;
        }
        bridge.write(frame).onComplete(v -> budget.release(reserved));
        if (bridge.writeQueueFull()) {
          socket.pause(); // a client that writes faster than the bridge reads waits in TCP, not in our memory
        }
      }, announced -> {
        socket.write(error(null, 413, "TOO_LARGE frame: " + Integer.toUnsignedString(announced)
            + " bytes announced, bridges.tcp.maxFrameBytes is " + maxFrameBytes));
        socket.close();
      });
      admission.reader = fromClient;
      FrameDeadline deadline = new FrameDeadline(socket, fromClient);
      socket.handler(deadline);
      socket.closeHandler(v -> {
        deadline.cancel();
        admission.close();
        bridge.close();
      });
      socket.resume();
    });
  }

  /**
   * How many bytes of large client frames the guard holds at once, over all connections: a frame over
   * {@link #LARGE_FRAME_BYTES} reserves its announced length before it is read and gives it back once
   * it is written to the bridge (or refused, or its connection closes). A connection whose frame does
   * not fit stops being read until earlier ones are done, first come first served, so sixteen clients
   * sending 30 MB frames at once cost the heap a few frames, not sixteen.
   */
  static final int LARGE_FRAME_BYTES = 64 * 1024;

  private static final class FrameBudget {
    private long available;
    private final java.util.ArrayDeque<Admission> waiting = new java.util.ArrayDeque<>();

    FrameBudget(long bytes) {
      this.available = bytes;
    }

    boolean tryReserve(Admission who, int bytes) {
      if (waiting.isEmpty() && bytes <= available) {
        available -= bytes;
        return true;
      }
      waiting.add(who);
      return false;
    }

    void release(int bytes) {
      available += bytes;
      while (!waiting.isEmpty() && waiting.peek().wanted <= available) {
        Admission next = waiting.poll();
        available -= next.wanted;
        next.admitted();
      }
    }

    void forget(Admission who) {
      if (waiting.remove(who)) {
        release(0); // the ones behind it may fit now
      }
    }
  }

  /** One connection's side of the {@link FrameBudget}: admits its frames and resumes it when the budget allows. */
  private final class Admission implements FrameReader.Admit {
    private final NetSocket socket;
    FrameReader reader;
    int wanted;
    private int reserved;

    Admission(NetSocket socket) {
      this.socket = socket;
    }

    @Override
    public boolean admit(int length) {
      if (length <= LARGE_FRAME_BYTES) {
        return true;
      }
      wanted = length;
      if (budget.tryReserve(this, length)) {
        reserved = length;
        return true;
      }
      socket.pause();
      return false;
    }

    void admitted() {
      reserved = wanted;
      socket.resume();
      reader.continueAfterAdmission();
    }

    /** The reservation of the frame just read, now the caller's to release. */
    int takeReserved() {
      int r = reserved;
      reserved = 0;
      return r;
    }

    void close() {
      budget.forget(this);
      budget.release(takeReserved());
    }
  }

  /**
   * A frame, once begun, must arrive whole within {@code frameTimeoutMs}: a client that announces a
   * large frame and trickles it (or stops) would otherwise hold a connection and its buffer forever.
   */
  private final class FrameDeadline implements Handler<Buffer> {
    private final NetSocket socket;
    private final FrameReader reader;
    private long timer = -1;

    FrameDeadline(NetSocket socket, FrameReader reader) {
      this.socket = socket;
      this.reader = reader;
    }

    @Override
    public void handle(Buffer data) {
      reader.handle(data);
      if (!reader.midFrame()) {
        cancel();
      } else if (timer < 0) {
        timer = vertx.setTimer(frameTimeoutMs, id -> {
          socket.write(error(null, 504, "TIMEOUT frame: a frame was not complete within bridges.tcp.frameTimeoutMs ("
              + frameTimeoutMs + " ms)"));
          socket.close();
        });
      }
    }

    void cancel() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }

  /** The error frame for an envelope the bridge must not see, or null when it may pass. */
  Buffer refusal(JsonObject frame) {
    Object replyTo = frame.getValue("replyAddress");
    String replyAddress = replyTo instanceof String ? (String) replyTo : null;
    if (replyTo != null && replyAddress == null) {
      return error(null, 400, "INVALID_ARGUMENT frame: 'replyAddress' must be a string, got " + abbreviate(replyTo));
    }
    Object type = frame.getValue("type");
    if (!(type instanceof String) || !TYPES.contains(type)) {
      return error(replyAddress, 400, "INVALID_ARGUMENT frame: 'type' must be one of send, publish, register, unregister, ping; got "
          + (type == null ? "none" : abbreviate(type)));
    }
    if ("ping".equals(type)) {
      return null;
    }
    Object address = frame.getValue("address");
    if (!(address instanceof String)) {
      return error(replyAddress, 400, "INVALID_ARGUMENT frame: 'address' must be a string, got " + (address == null ? "none" : abbreviate(address)));
    }
    Object headers = frame.getValue("headers");
    if (headers != null && !(headers instanceof JsonObject)) {
      return error(replyAddress, 400, "INVALID_ARGUMENT frame: 'headers' must be a JSON object, got " + abbreviate(headers));
    }
    if (!"send".equals(type) && !"publish".equals(type) || !serviceAddress.equals(address)) {
      // clients only send to the service; nothing is published to them to register for
      return error(replyAddress, 403, "FORBIDDEN frame: " + type + " to '" + abbreviate(address)
          + "' is not open to bridge clients (send to '" + serviceAddress + "')");
    }
    return null;
  }

  /** An {@code err} frame as the bridge sends for a failed request, addressed to {@code replyAddress} when known. */
  private static Buffer error(String replyAddress, int failureCode, String message) {
    JsonObject err = new JsonObject().put("type", "err");
    if (replyAddress != null) {
      err.put("address", replyAddress);
    }
    Buffer json = err.put("failureCode", failureCode).put("failureType", "RECIPIENT_FAILURE").put("message", message).toBuffer();
    return Buffer.buffer(4 + json.length()).appendInt(json.length()).appendBuffer(json);
  }

  /**
   * Splits a byte stream into frames (4-byte big-endian length, then the payload) and hands on each
   * whole frame, length included; a frame announcing more than {@code maxFrameBytes} stops the reader.
   */
  private static final class FrameReader implements Handler<Buffer> {
    /** Decides, once a frame's length is known, whether it may be read now; false holds the reader until {@link #continueAfterAdmission}. */
    interface Admit {
      boolean admit(int length);
    }

    static final Admit ADMIT_ALL = length -> true;

    private final int maxFrameBytes;
    private final Admit admit;
    private final Handler<Buffer> onFrame;
    private final Handler<Integer> onTooLarge;
    private Buffer pending = Buffer.buffer();
    private boolean stopped;
    private boolean held;
    /** Offset in {@code pending} of the frame whose length was admitted, or -1. */
    private int admittedAt = -1;

    /** Whether part of a frame is waiting for the rest. */
    boolean midFrame() {
      return !stopped && pending.length() > 0;
    }

    FrameReader(int maxFrameBytes, Admit admit, Handler<Buffer> onFrame, Handler<Integer> onTooLarge) {
      this.maxFrameBytes = maxFrameBytes;
      this.admit = admit;
      this.onFrame = onFrame;
      this.onTooLarge = onTooLarge;
    }

    @Override
    public void handle(Buffer data) {
      if (stopped) {
        return;
      }
      pending.appendBuffer(data);
      if (!held) {
        parse();
      }
    }

    void continueAfterAdmission() {
      held = false;
      admittedAt = 0; // the frame it waited for is first in line
      parse();
    }

    private void parse() {
      int offset = 0;
      while (!stopped && pending.length() - offset >= 4) {
        int length = pending.getInt(offset);
        if (length < 0 || length > maxFrameBytes) {
          stopped = true;
          onTooLarge.handle(length);
          return;
        }
        if (admittedAt != offset) {
          if (!admit.admit(length)) {
            held = true;
            admittedAt = -1;
            break;
          }
          admittedAt = offset;
        }
        if (pending.length() - offset - 4 < length) {
          break;
        }
        onFrame.handle(pending.getBuffer(offset, offset + 4 + length));
        offset += 4 + length;
      }
      if (offset > 0) { // only then: copying a large frame's prefix on every chunk would be quadratic
        pending = offset == pending.length() ? Buffer.buffer() : pending.getBuffer(offset, pending.length());
        admittedAt = admittedAt == offset ? 0 : -1;
      }
    }
  }

  private static String abbreviate(Object o) {
    String s = o == null ? "unreadable" : o instanceof String ? (String) o : String.valueOf(o);
    return s.length() > 120 ? s.substring(0, 120) + "..." : s;
  }

  Future<Void> close() {
    client.close();
    return server == null ? Future.succeededFuture() : server.close();
  }
}
