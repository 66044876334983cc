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

import java.util.ArrayDeque;
import java.util.EnumSet;
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
  /** The one address clients may register on: the near-cache invalidations, published by the service. */
  private final String listenAddress;
  private final int maxFrameBytes;
  private final long frameTimeoutMs;
  private final int maxInFlightPerClient;
  private final FrameBudget budget;
  private final NetClient client;
  private int bridgePort;
  private NetServer server;

  TcpFrameGuard(Vertx vertx, String serviceAddress, String listenAddress, int maxFrameBytes, long frameTimeoutMs,
      long maxBufferedBytes, int maxInFlightPerClient) {
    this.vertx = vertx;
    this.serviceAddress = serviceAddress;
    this.listenAddress = listenAddress;
    this.maxFrameBytes = maxFrameBytes;
    this.frameTimeoutMs = frameTimeoutMs;
    this.budget = new FrameBudget(maxBufferedBytes);
    this.maxInFlightPerClient = maxInFlightPerClient;
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
      new Connection(socket, ar.result()).start();
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
    private final ArrayDeque<Connection> waiting = new ArrayDeque<>();

    FrameBudget(long bytes) {
      this.available = bytes;
    }

    boolean tryReserve(Connection who, int bytes) {
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
        Connection next = waiting.poll();
        available -= next.wanted;
        next.admitted();
      }
    }

    void forget(Connection who) {
      if (waiting.remove(who)) {
        release(0); // the ones behind it may fit now
      }
    }
  }

  /** Why the guard does not read a client now; it reads again once no reason is left. */
  private enum Hold {
    /** It does not read its replies: they wait in TCP buffers, not in the service's memory. */
    CLIENT_NOT_READING(false),
    /** It writes faster than the bridge reads. */
    BRIDGE_BEHIND(true),
    /** Its large frame waits for the {@link FrameBudget}. */
    BUDGET(true),
    /** It has {@code maxInFlightPerClient} requests awaiting replies: one client cannot fill the service's queues. */
    IN_FLIGHT(true);

    /** Whether the wait is the guard's doing, so that the client's frame clock stops meanwhile. */
    final boolean ours;

    Hold(boolean ours) {
      this.ours = ours;
    }
  }

  /**
   * One client and its own connection to the bridge. Frames from the client are checked and passed on
   * whole; frames from the bridge go back whole, so that an error frame of ours never lands inside a
   * bridge frame that arrived in two TCP chunks. A frame, once begun, must arrive whole within
   * {@code frameTimeoutMs} (a client that announces a large frame and trickles it would otherwise hold
   * a connection and its buffer forever); the clock stops while the guard itself holds the client back.
   */
  private final class Connection implements FrameReader.Admit {
    private final NetSocket socket;
    private final NetSocket bridge;
    private final FrameReader fromClient;
    private final EnumSet<Hold> holds = EnumSet.noneOf(Hold.class);
    /** Requests the bridge will answer with one frame each (a send with a reply address, a ping). */
    private int awaitingReplies;
    /** Whether the client registered for invalidations: then not every frame from the bridge is a reply. */
    private boolean listens;
    /** Bytes of the budget the frame being read asked for, and holds. */
    int wanted;
    private int reserved;
    /** The budget reserved {@link #wanted} for the frame that waited for it. */
    private boolean granted;
    private long timer = -1;
    /** Frames read when the clock started: a frame completed since then restarts it for the next one. */
    private long framesAtStart;

    Connection(NetSocket socket, NetSocket bridge) {
      this.socket = socket;
      this.bridge = bridge;
      this.fromClient = new FrameReader(maxFrameBytes, this, this::fromClient, this::tooLarge);
    }

    void start() {
      bridge.handler(new FrameReader(Integer.MAX_VALUE, FrameReader.ADMIT_ALL, this::toClient, tooLarge -> socket.close()));
      bridge.closeHandler(v -> socket.close());
      bridge.drainHandler(v -> release(Hold.BRIDGE_BEHIND));
      socket.drainHandler(v -> {
        bridge.resume();
        release(Hold.CLIENT_NOT_READING);
      });
      socket.handler(data -> {
        fromClient.handle(data);
        checkClock();
      });
      socket.closeHandler(v -> closed());
      socket.resume();
    }

    private void toClient(Buffer frame) {
      socket.write(frame);
      if (awaitingReplies > 0 && isReply(frame) && --awaitingReplies < maxInFlightPerClient) {
        release(Hold.IN_FLIGHT);
      }
      if (socket.writeQueueFull()) {
        bridge.pause();
        hold(Hold.CLIENT_NOT_READING);
      }
    }

    private boolean isReply(Buffer frame) {
      if (!listens) {
        return true;
      }
      Object address = new JsonObject(frame.getBuffer(4, frame.length())).getValue("address");
      return !listenAddress.equals(address);
    }

    private void fromClient(Buffer frame) {
      int reservation = reserved;
      reserved = 0;
      JsonObject envelope;
      try {
        envelope = new JsonObject(frame.getBuffer(4, frame.length()));
      } catch (DecodeException | ClassCastException e) {
        budget.release(reservation);
        socket.write(error(null, 400, "INVALID_ARGUMENT frame: not a JSON object (" + abbreviate(e.getMessage()) + ")"));
        return;
      }
      Buffer refusal = refusal(envelope);
      if (refusal != null) {
        budget.release(reservation);
        socket.write(refusal);
        return;
      }
      Object type = envelope.getValue("type");
      if ("ping".equals(type) || "send".equals(type) && envelope.getValue("replyAddress") != null) {
        awaitingReplies++;
      } else if ("register".equals(type)) {
        listens = true;
      }
      bridge.write(frame).onComplete(v -> budget.release(reservation));
      if (bridge.writeQueueFull()) {
        hold(Hold.BRIDGE_BEHIND);
      }
      if (awaitingReplies >= maxInFlightPerClient) {
        hold(Hold.IN_FLIGHT);
      }
    }

    private void tooLarge(int announced) {
      socket.write(error(null, 413, "TOO_LARGE frame: " + Integer.toUnsignedString(announced)
          + " bytes announced, bridges.tcp.maxFrameBytes is " + maxFrameBytes));
      socket.close();
    }

    /** Whether the next frame may be read now: not while the client is held, and a large one only within the budget. */
    @Override
    public boolean admit(int length) {
      if (!holds.isEmpty()) {
        return false;
      }
      if (length <= LARGE_FRAME_BYTES) {
        return true;
      }
      if (granted) { // the budget made room for this frame while it waited
        granted = false;
        return true;
      }
      wanted = length;
      if (budget.tryReserve(this, length)) {
        reserved = length;
        return true;
      }
      hold(Hold.BUDGET);
      return false;
    }

    /** Called by the budget once this connection's frame fits. */
    void admitted() {
      reserved = wanted;
      granted = true;
      release(Hold.BUDGET);
    }

    private void hold(Hold reason) {
      if (holds.isEmpty()) {
        socket.pause();
      }
      holds.add(reason);
      checkClock();
    }

    private void release(Hold reason) {
      if (holds.remove(reason) && holds.isEmpty()) {
        socket.resume();
        fromClient.resumeParsing(); // frames that arrived with the ones before the hold
      }
      checkClock();
    }

    /** Runs the frame clock while part of a frame waits for the rest, unless the guard holds the client back. */
    private void checkClock() {
      boolean waitingForClient = fromClient.midFrame() && !fromClient.held() && !heldByUs();
      if (!waitingForClient || fromClient.framesRead() != framesAtStart) {
        stopClock();
      }
      if (waitingForClient && timer < 0) {
        framesAtStart = fromClient.framesRead();
        timer = vertx.setTimer(frameTimeoutMs, id -> {
          socket.write(error(null, 504, "TIMEOUT frame: a frame was not complete within bridges.tcp.frameTimeoutMs ("
              + frameTimeoutMs + " ms)"));
          socket.close();
        });
      }
    }

    private boolean heldByUs() {
      for (Hold h : holds) {
        if (h.ours) {
          return true;
        }
      }
      return false;
    }

    private void stopClock() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }

    private void closed() {
      stopClock();
      budget.forget(this);
      budget.release(reserved);
      reserved = 0;
      bridge.close();
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
    boolean toService = ("send".equals(type) || "publish".equals(type)) && serviceAddress.equals(address);
    boolean listening = ("register".equals(type) || "unregister".equals(type)) && listenAddress.equals(address);
    if (!toService && !listening) {
      return error(replyAddress, 403, "FORBIDDEN frame: " + type + " to '" + abbreviate(address)
          + "' is not open to bridge clients (send to '" + serviceAddress + "', register on '" + listenAddress + "')");
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
    /** Decides, once a frame's length is known, whether it may be read now; false holds the reader until {@link #resumeParsing}. */
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
    private long framesRead;
    /** Offset in {@code pending} of the frame whose length was admitted, or -1. */
    private int admittedAt = -1;

    /** Whether part of a frame is waiting for the rest. */
    boolean midFrame() {
      return !stopped && pending.length() > 0;
    }

    long framesRead() {
      return framesRead;
    }

    /** Whether the reader waits for its frame to be admitted. */
    boolean held() {
      return held;
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

    /** Asks again for the frame that was not admitted, and goes on with the frames after it. */
    void resumeParsing() {
      if (held) {
        held = false;
        parse();
      }
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
        framesRead++;
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
