package io.cachex.service.redis;

import io.cachex.api.CachexError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Function;

/**
 * One long-lived {@link RedisConnection} that pipelines every command sent on it (the pooled
 * {@code Redis.send()} holds a connection per command and rejects bursts). It adds what the client
 * lacks: a deadline per command, replacement of a stalled or closed connection, reconnection with
 * backoff, and a bound on replies awaited. Confined to one event loop: no locking.
 */
final class PipelinedLane {
  private final io.vertx.core.Vertx vertx;
  private final Redis client;
  private final long commandTimeoutMs;
  private final long connectTimeoutMs;
  private final int maxInFlight;
  private final long reconnectDelayMs;
  private final long maxReconnectDelayMs;

  /** Our promises in send order; replies on one connection arrive in that order. */
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  /**
   * Commands held back while earlier ones await their replies: they go out together from the next
   * reply's callback. That callback runs while the client reads the socket, when Vert.x writes without
   * flushing, so the whole group leaves in one write instead of one syscall per command.
   */
  private final ArrayDeque<Parked<?>> parked = new ArrayDeque<>();
  /** Commands written on the connection whose reply has not arrived yet. */
  private int unanswered;
  private boolean releasing;
  private RedisConnection connection;
  private Future<RedisConnection> connecting;
  private long generation;
  private long retryAt;
  private long backoffMs;
  private String lastFailure = "not connected yet";
  private boolean closed;

  private static final class Pending {
    final long deadline;
    final Promise<Object> promise;

    Pending(long deadline, Promise<Object> promise) {
      this.deadline = deadline;
      this.promise = promise;
    }
  }

  private static final class Parked<T> {
    final Pending entry;
    final Function<RedisConnection, Future<T>> command;

    Parked(Pending entry, Function<RedisConnection, Future<T>> command) {
      this.entry = entry;
      this.command = command;
    }
  }

  PipelinedLane(io.vertx.core.Vertx vertx, Redis client, long commandTimeoutMs, long connectTimeoutMs, int maxInFlight,
                long reconnectDelayMs, long maxReconnectDelayMs) {
    this.vertx = vertx;
    this.client = client;
    this.commandTimeoutMs = commandTimeoutMs;
    this.connectTimeoutMs = connectTimeoutMs;
    this.maxInFlight = maxInFlight;
    this.reconnectDelayMs = reconnectDelayMs;
    this.maxReconnectDelayMs = maxReconnectDelayMs;
    this.backoffMs = reconnectDelayMs;
  }

  int inFlight() {
    return pending.size();
  }

  Future<Response> send(Request request) {
    return submit(c -> c.send(request));
  }

  Future<List<Response>> batch(List<Request> requests) {
    return submit(c -> c.batch(requests));
  }

  @SuppressWarnings("unchecked")
  private <T> Future<T> submit(Function<RedisConnection, Future<T>> command) {
    if (closed) {
      return Future.failedFuture(new GatewayException(CachexError.UNAVAILABLE, "the service is shutting down"));
    }
    if (pending.size() >= maxInFlight) {
      return Future.failedFuture(new GatewayException(CachexError.OVERLOADED,
          pending.size() + " requests already wait for Valkey/Redis on this connection (redis.maxInFlight)"));
    }
    Promise<Object> promise = Promise.promise();
    Pending entry = new Pending(System.currentTimeMillis() + commandTimeoutMs, promise);
    pending.addLast(entry);
    RedisConnection c = connection;
    if (c != null && unanswered > 0) {
      parked.addLast(new Parked<>(entry, command));
    } else if (c != null) {
      dispatch(c, entry, command);
    } else {
      Future<RedisConnection> ready = connect();
      ready.onComplete(ar -> {
        if (ar.succeeded()) {
          dispatch(ar.result(), entry, command);
        } else {
          settle(entry);
          promise.tryFail(ar.cause());
        }
      });
    }
    return (Future<T>) promise.future();
  }

  private <T> void dispatch(RedisConnection c, Pending entry, Function<RedisConnection, Future<T>> command) {
    if (entry.promise.future().isComplete()) {
      return; // timed out while connecting
    }
    Future<T> reply;
    try {
      reply = command.apply(c);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    long gen = generation;
    unanswered++;
    reply.onComplete(ar -> {
      if (gen == generation) {
        unanswered--;
      }
      settle(entry);
      if (ar.failed() && connection == c && staleNode(ar.cause())) {
        // a demoted primary (READONLY), a replica still loading or cut from its primary: the
        // connection itself is healthy and would never be dropped, so the next command would hit
        // the same node forever; reconnect instead, which asks the sentinels for the primary again
        drop(generation, "the server answered " + firstWord(ar.cause()));
      }
      // first, while the client is still reading the socket: held-back commands leave in one write
      releaseParked();
      if (ar.succeeded()) {
        entry.promise.tryComplete(ar.result());
      } else {
        entry.promise.tryFail(ar.cause());
      }
    });
  }

  /**
   * Sends every held-back command, on the current connection (or the next one). Not re-entrant: a
   * send that fails at once (a closing connection) completes inline and its callback lands here
   * again; the outer loop carries on instead of recursing once per held-back command.
   */
  private void releaseParked() {
    if (releasing || parked.isEmpty()) {
      return;
    }
    releasing = true;
    try {
      Parked<?> p;
      while ((p = parked.peekFirst()) != null) {
        RedisConnection c = connection;
        if (c == null) {
          connect().onComplete(ar -> {
            if (ar.failed()) {
              Parked<?> failed;
              while ((failed = parked.pollFirst()) != null) {
                settle(failed.entry);
                failed.entry.promise.tryFail(ar.cause());
              }
            } else {
              releaseParked();
            }
          });
          return;
        }
        parked.pollFirst();
        dispatchParked(c, p);
      }
    } finally {
      releasing = false;
    }
  }

  private <T> void dispatchParked(RedisConnection c, Parked<T> p) {
    dispatch(c, p.entry, p.command);
  }

  /** Error replies that say the connection points at a node that cannot serve us (any more). */
  static boolean staleNode(Throwable err) {
    String m = err.getMessage();
    return m != null && (m.startsWith("READONLY") || m.startsWith("LOADING") || m.startsWith("MASTERDOWN"));
  }

  private static String firstWord(Throwable err) {
    String m = err.getMessage();
    int space = m.indexOf(' ');
    return space < 0 ? m : m.substring(0, space);
  }

  private void settle(Pending entry) {
    if (pending.peekFirst() == entry) {
      pending.pollFirst();
    } else {
      pending.remove(entry);
    }
  }

  private Future<RedisConnection> connect() {
    if (connecting != null) {
      return connecting;
    }
    long now = System.currentTimeMillis();
    if (now < retryAt) {
      return Future.failedFuture(new GatewayException(CachexError.UNAVAILABLE,
          "Valkey/Redis unreachable, next attempt in " + (retryAt - now) + " ms (" + lastFailure + ")"));
    }
    long gen = ++generation;
    Promise<RedisConnection> attempt = Promise.promise();
    connecting = attempt.future();
    // bound the handshake ourselves: Future.timeout would abandon a connection that arrives late,
    // leaking it from the client's pool
    long timer = vertx.setTimer(connectTimeoutMs + commandTimeoutMs,
        id -> attempt.tryFail("no connection within " + (connectTimeoutMs + commandTimeoutMs) + " ms"));
    client.connect().onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed()) {
        attempt.tryFail(ar.cause());
        return;
      }
      if (closed) {
        attempt.tryFail("the service is shutting down");
      }
      if (!attempt.tryComplete(ar.result())) {
        discard(ar.result()); // arrived too late, or shutting down
      }
    });
    connecting = connecting
        .map(c -> {
          connecting = null;
          connection = c;
          unanswered = 0;
          backoffMs = reconnectDelayMs;
          c.exceptionHandler(err -> drop(gen, describe(err)));
          c.endHandler(v -> drop(gen, "connection closed by the server"));
          return c;
        })
        .recover(err -> {
          connecting = null;
          lastFailure = describe(err);
          retryAt = System.currentTimeMillis() + backoffMs;
          backoffMs = Math.min(maxReconnectDelayMs, backoffMs * 2);
          return Future.failedFuture(new GatewayException(CachexError.UNAVAILABLE, "cannot connect to Valkey/Redis: " + lastFailure));
        });
    return connecting;
  }

  /** Forgets a broken connection; the next command reconnects. */
  private void drop(long gen, String why) {
    if (gen == generation && connection != null) {
      lastFailure = why;
      RedisConnection c = connection;
      connection = null;
      unanswered = 0; // replies of the old connection no longer hold anything back
      discard(c);
      releaseParked();
    }
  }

  /**
   * Closes the socket for real. close() on a pooled connection only recycles it, so a stalled socket
   * would come back from the pool; a connection that has seen a pub/sub command counts as "tainted"
   * and close() then evicts it and closes the socket (vertx-redis-client 5.0.7,
   * RedisStandaloneConnection.reset). UNSUBSCRIBE with no channel changes nothing on the server.
   */
  private static void discard(RedisConnection c) {
    try {
      c.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.UNSUBSCRIBE));
    } catch (RuntimeException ignored) {
      // already closed: nothing to taint
    }
    c.close();
  }

  /**
   * Called periodically. Replies come in order, so when the oldest command is overdue the
   * connection is stalled: fail everything waiting on it and replace it.
   */
  void expireOverdue(long now) {
    Pending head = pending.peekFirst();
    if (head == null || head.deadline > now) {
      return;
    }
    GatewayException timeout = new GatewayException(CachexError.TIMEOUT,
        "no reply from Valkey/Redis within " + commandTimeoutMs + " ms (redis.commandTimeout)");
    ArrayDeque<Pending> stalled = new ArrayDeque<>(pending);
    pending.clear();
    parked.clear();
    drop(generation, "stalled: no reply within " + commandTimeoutMs + " ms");
    for (Pending p : stalled) {
      p.promise.tryFail(timeout);
    }
  }

  Future<Void> close() {
    closed = true;
    RedisConnection c = connection;
    connection = null;
    GatewayException shutdown = new GatewayException(CachexError.UNAVAILABLE, "the service is shutting down");
    for (Pending p : new ArrayDeque<>(pending)) {
      p.promise.tryFail(shutdown);
    }
    pending.clear();
    parked.clear();
    return c == null ? Future.succeededFuture() : c.close();
  }

  static String describe(Throwable err) {
    String m = err.getMessage();
    return m == null || m.isBlank() ? err.getClass().getSimpleName() : m;
  }
}
