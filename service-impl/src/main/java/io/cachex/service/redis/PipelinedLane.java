package io.cachex.service.redis;

import io.cachex.api.contract.OperationException;
import io.cachex.api.CachexError;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One long-lived {@link RedisConnection} that pipelines every command sent on it (the pooled
 * {@code Redis.send()} holds a connection per command and rejects bursts). It adds what the client
 * lacks: a deadline per command, replacement of a stalled or closed connection, reconnection with
 * backoff, a bound on replies awaited, leaving a deposed primary at once ({@link #failover}), and
 * optionally WAIT-confirmed writes ({@link ReplicaAcks}). Confined to one event loop: no locking.
 */
final class PipelinedLane {
  private final io.vertx.core.Vertx vertx;
  private final Connector connector;
  /** Null unless redis.replicaAcks is set. */
  private final ReplicaAcks acks;
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
  /** With replica acks: commands sent since the last WAIT, whose replies wait for its confirmation. */
  private List<Pending> unconfirmed = new ArrayList<>();
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
    final boolean write;
    /** Written on a connection: after a failover its outcome on the old node is unknown. */
    boolean sent;
    /** With replica acks: the reply, held until the WAIT that follows it. */
    AsyncResult<?> reply;

    Pending(long deadline, Promise<Object> promise, boolean write) {
      this.deadline = deadline;
      this.promise = promise;
      this.write = write;
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

  PipelinedLane(io.vertx.core.Vertx vertx, Connector connector, ReplicaAcks acks, long commandTimeoutMs,
                long connectTimeoutMs, int maxInFlight, long reconnectDelayMs, long maxReconnectDelayMs) {
    this.vertx = vertx;
    this.connector = connector;
    this.acks = acks;
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
    return submit(c -> c.send(request), acks != null && ReplicaAcks.writes(request));
  }

  Future<List<Response>> batch(List<Request> requests) {
    return submit(c -> c.batch(requests), acks != null && ReplicaAcks.writes(requests));
  }

  @SuppressWarnings("unchecked")
  private <T> Future<T> submit(Function<RedisConnection, Future<T>> command, boolean write) {
    if (closed) {
      return Future.failedFuture(new OperationException(CachexError.UNAVAILABLE, "the service is shutting down"));
    }
    if (pending.size() >= maxInFlight) {
      return Future.failedFuture(new OperationException(CachexError.OVERLOADED,
          pending.size() + " requests already wait for Valkey/Redis on this connection (redis.maxInFlight)"));
    }
    Promise<Object> promise = Promise.promise();
    Pending entry = new Pending(System.currentTimeMillis() + commandTimeoutMs, promise, write);
    pending.addLast(entry);
    RedisConnection c = connection;
    if (c != null && unanswered > 0) {
      parked.addLast(new Parked<>(entry, command));
    } else if (c != null) {
      dispatch(c, entry, command);
      confirmSent(c);
    } else {
      Future<RedisConnection> ready = connect();
      ready.onComplete(ar -> {
        if (ar.succeeded()) {
          dispatch(ar.result(), entry, command);
          confirmSent(ar.result());
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
    entry.sent = true;
    unanswered++;
    if (acks != null) {
      unconfirmed.add(entry);
    }
    reply.onComplete(ar -> {
      if (gen == generation) {
        unanswered--;
      }
      if (acks == null) {
        settle(entry);
      }
      if (ar.failed() && connection == c && RedisErrors.staleNode(ar.cause())) {
        // a demoted primary (READONLY), a replica still loading or cut from its primary: the
        // connection itself is healthy and would never be dropped, so the next command would hit
        // the same node forever; reconnect instead, which asks the sentinels for the primary again
        drop(generation, "the server answered " + RedisErrors.firstWord(ar.cause()));
      }
      // first, while the client is still reading the socket: held-back commands leave in one write
      releaseParked();
      if (acks != null) {
        entry.reply = ar; // completed by the WAIT that follows it
      } else if (ar.succeeded()) {
        entry.promise.tryComplete(ar.result());
      } else {
        entry.promise.tryFail(ar.cause());
      }
    });
  }

  /**
   * With replica acks: one WAIT after the commands just written on {@code c}. Replies arrive in order,
   * so when WAIT answers every command of the group has its reply; writes are acknowledged only if
   * enough replicas confirmed them, reads pass either way.
   */
  private void confirmSent(RedisConnection c) {
    if (acks == null || unconfirmed.isEmpty()) {
      return;
    }
    List<Pending> group = unconfirmed;
    unconfirmed = new ArrayList<>();
    Future<Response> waited;
    try {
      waited = c.send(acks.waitRequest());
    } catch (RuntimeException e) {
      waited = Future.failedFuture(e);
    }
    long gen = generation;
    unanswered++;
    waited.onComplete(ar -> {
      if (gen == generation) {
        unanswered--;
      }
      releaseParked();
      OperationException unconfirmedWrite = acks.check(ar.result(), ar.cause());
      for (Pending p : group) {
        settle(p);
        AsyncResult<?> reply = p.reply;
        if (reply == null) {
          p.promise.tryFail(unconfirmedWrite != null ? unconfirmedWrite
              : new OperationException(CachexError.UNAVAILABLE, "no reply before the replicas' confirmation"));
        } else if (reply.failed()) {
          p.promise.tryFail(reply.cause());
        } else if (p.write && unconfirmedWrite != null) {
          p.promise.tryFail(unconfirmedWrite);
        } else {
          p.promise.tryComplete(reply.result());
        }
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
      if (connection != null) {
        confirmSent(connection);
      }
    } finally {
      releasing = false;
    }
  }

  private <T> void dispatchParked(RedisConnection c, Parked<T> p) {
    dispatch(c, p.entry, p.command);
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
      return Future.failedFuture(new OperationException(CachexError.UNAVAILABLE,
          "Valkey/Redis unreachable, next attempt in " + (retryAt - now) + " ms (" + lastFailure + ")"));
    }
    long gen = ++generation;
    Promise<RedisConnection> attempt = Promise.promise();
    connecting = attempt.future();
    // bound the handshake ourselves: Future.timeout would abandon a connection that arrives late,
    // leaking it from the client's pool
    long timer = vertx.setTimer(connectTimeoutMs + commandTimeoutMs,
        id -> attempt.tryFail("no connection within " + (connectTimeoutMs + commandTimeoutMs) + " ms"));
    connector.connect().onComplete(ar -> {
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
          return Future.failedFuture(new OperationException(CachexError.UNAVAILABLE, "cannot connect to Valkey/Redis: " + lastFailure));
        });
    return connecting;
  }

  /** Forgets a broken connection; the next command reconnects. */
  private void drop(long gen, String why) {
    if (gen == generation && connection != null) {
      lastFailure = why;
      RedisConnection c = connection;
      connection = null;
      generation++;
      unanswered = 0; // replies of the old connection no longer hold anything back
      abandonUnconfirmed();
      discard(c);
      releaseParked();
    }
  }

  /**
   * With replica acks: commands written on a connection that is being dropped before their WAIT went
   * out. A WAIT on the next connection would not cover them, so writes among them fail; reads and
   * error replies that already arrived are delivered.
   */
  private void abandonUnconfirmed() {
    if (unconfirmed.isEmpty()) {
      return;
    }
    OperationException lost = new OperationException(CachexError.UNAVAILABLE,
        "the connection was lost before the replicas confirmed the write; it may or may not have been applied");
    for (Pending p : unconfirmed) {
      settle(p);
      AsyncResult<?> reply = p.reply;
      if (reply != null && reply.failed()) {
        p.promise.tryFail(reply.cause());
      } else if (reply != null && !p.write) {
        p.promise.tryComplete(reply.result());
      } else {
        p.promise.tryFail(lost);
      }
    }
    unconfirmed = new ArrayList<>();
  }

  /**
   * The node behind this lane is no longer (or soon no longer) the primary. Replies still due from it
   * would acknowledge writes that the failover may wipe, so those commands fail now with UNAVAILABLE
   * (they may or may not have been applied); commands not yet written stay queued and leave on the
   * next connection, which the connector opens to the new primary (waiting for it while a failover
   * is under way). Reconnects at once, without backoff.
   */
  void failover(String why) {
    OperationException unknown = new OperationException(CachexError.UNAVAILABLE, "failover (" + why
        + "): the command was sent to the previous primary and may or may not have been applied");
    List<Pending> sent = new ArrayList<>();
    for (Pending p : pending) {
      if (p.sent) {
        sent.add(p);
      }
    }
    unconfirmed = new ArrayList<>();
    retryAt = 0;
    backoffMs = reconnectDelayMs;
    // a connection being opened right now is safe: the connector checks, as it hands it over, that its
    // node is still the one to use
    drop(generation, "failover: " + why);
    for (Pending p : sent) {
      settle(p);
      p.promise.tryFail(unknown);
    }
    releaseParked();
  }

  /**
   * Redis Cluster changed shape: new commands go on a new connection (which starts from a fresh slot
   * map), while the old one delivers the replies it still owes (a deposed primary answers them or
   * redirects with MOVED, which the client follows) and is closed once they are due.
   */
  void retire() {
    RedisConnection c = connection;
    if (c == null) {
      return;
    }
    connection = null;
    generation++;
    unanswered = 0;
    retryAt = 0;
    backoffMs = reconnectDelayMs;
    vertx.setTimer(commandTimeoutMs + 1_000, id -> discard(c));
    releaseParked();
  }

  /**
   * Closes the socket for real. close() on a pooled connection only recycles it, so a stalled socket
   * would come back from the pool; a connection that has seen a pub/sub command counts as "tainted"
   * and close() then evicts it and closes the socket (vertx-redis-client 5.0.7,
   * RedisStandaloneConnection.reset). UNSUBSCRIBE with no channel changes nothing on the server.
   */
  static void discard(RedisConnection c) {
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
    OperationException timeout = new OperationException(CachexError.TIMEOUT,
        "no reply from Valkey/Redis within " + commandTimeoutMs + " ms (redis.commandTimeoutMs)");
    ArrayDeque<Pending> stalled = new ArrayDeque<>(pending);
    pending.clear();
    parked.clear();
    unconfirmed = new ArrayList<>();
    drop(generation, "stalled: no reply within " + commandTimeoutMs + " ms");
    for (Pending p : stalled) {
      p.promise.tryFail(timeout);
    }
  }

  Future<Void> close() {
    closed = true;
    RedisConnection c = connection;
    connection = null;
    OperationException shutdown = new OperationException(CachexError.UNAVAILABLE, "the service is shutting down");
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
