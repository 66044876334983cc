package io.cachex.server.reliability;

import io.vertx.core.json.JsonObject;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP event-bus bridge client as another language would write one: a socket, frames of a 4-byte
 * big-endian length and UTF-8 JSON, one reply address per request so many requests can be in flight.
 * Replies are completed on the reader thread.
 */
final class BridgeClient implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final String address;
  private final Map<String, CompletableFuture<JsonObject>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final Thread reader;
  private volatile boolean closed;

  BridgeClient(int port, String address) throws IOException {
    this.address = address;
    this.socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    this.out = socket.getOutputStream();
    this.reader = new Thread(this::readLoop, "bridge-client-" + port);
    reader.setDaemon(true);
    reader.start();
  }

  /** Sends {@code action} with {@code body}; completes with the reply frame ({@code type} message or err). */
  CompletableFuture<JsonObject> request(String action, JsonObject body) {
    return request(action, body, new JsonObject());
  }

  /** As {@link #request(String, JsonObject)} with more headers (a {@code timeout} in ms, say). */
  CompletableFuture<JsonObject> request(String action, JsonObject body, JsonObject headers) {
    String replyAddress = "r" + ids.incrementAndGet();
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    waiting.put(replyAddress, reply);
    JsonObject frame = new JsonObject().put("type", "send").put("address", address)
        .put("headers", headers.copy().put("action", action)).put("body", body).put("replyAddress", replyAddress);
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    try {
      synchronized (out) {
        out.write(ByteBuffer.allocate(4).putInt(json.length).array());
        out.write(json);
        out.flush();
      }
    } catch (IOException e) {
      waiting.remove(replyAddress);
      reply.completeExceptionally(e);
    }
    return reply;
  }

  private void readLoop() {
    try (DataInputStream in = new DataInputStream(socket.getInputStream())) {
      while (!closed) {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        JsonObject reply = new JsonObject(new String(frame, StandardCharsets.UTF_8));
        CompletableFuture<JsonObject> f = waiting.remove(reply.getString("address", ""));
        if (f != null) {
          f.complete(reply);
        }
      }
    } catch (IOException e) {
      IllegalStateException lost = new IllegalStateException("bridge connection lost: " + e, e);
      waiting.values().forEach(f -> f.completeExceptionally(lost));
    }
  }

  /** The stable error code of an err frame (first word of its message), or "ok". */
  static String outcome(JsonObject reply) {
    if (!"err".equals(reply.getString("type"))) {
      return "ok";
    }
    String message = String.valueOf(reply.getValue("message"));
    int space = message.indexOf(' ');
    return space < 0 ? message : message.substring(0, space);
  }

  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
