package io.cachex.service.locks;

import io.cachex.service.config.CachexConfig.RedisConfig;
import io.cachex.service.redis.RedisGateway;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Wakes the waiting operations of one service instance (lock acquisitions, semaphore acquisitions,
 * callers waiting for a value computed elsewhere) when the key they wait on changes. The scripts that
 * free something (a lock release, a semaphore release, a stored or given-up compute lease) publish the
 * key on {@link #CHANNEL}; this class keeps ONE subscriber connection per service instance (created on
 * first wait, re-created after a loss while anyone waits) and calls the waiters of that key. The
 * connection comes from the gateway (under Sentinel: the current primary, ROLE-checked) and moves when
 * the gateway's topology changes. Waiters also look again on a timer, so a lost notification only
 * costs one interval. Confined to the service's event loop.
 */
public final class Waiters {
  /** The one channel of wake-ups (named for locks, its first use; instances of other versions listen on it too). */
  public static final String CHANNEL = "cachex:lock:released";
  private static final System.Logger LOG = System.getLogger(Waiters.class.getName());

  private final Context context;
  private final RedisConfig config;
  private final RedisGateway gateway;
  private final Map<String, List<Runnable>> waiters = new HashMap<>();
  private RedisConnection connection;
  private boolean connecting;
  private boolean closed;
  private long reconnectDelay;

  public Waiters(Context context, RedisGateway gateway) {
    this.context = context;
    this.gateway = gateway;
    this.config = gateway.config();
    this.reconnectDelay = config.reconnectDelayMs;
    // a failover or a new slot map: wake-ups are published where the new primary is, subscribe there
    gateway.onTopologyChange(() -> {
      RedisConnection c = connection;
      if (c != null) {
        connection = null;
        c.close();
        retryLater();
      }
    });
    if (context instanceof ContextInternal) {
      ((ContextInternal) context).addCloseHook(completion -> {
        close();
        completion.succeed();
      });
    }
  }

  /** Calls {@code wake} at each wake-up published for {@code key} until the returned unregister runs. */
  public Runnable register(String key, Runnable wake) {
    waiters.computeIfAbsent(key, k -> new ArrayList<>()).add(wake);
    subscribe();
    return () -> {
      List<Runnable> list = waiters.get(key);
      if (list != null) {
        list.remove(wake);
        if (list.isEmpty()) {
          waiters.remove(key);
        }
      }
    };
  }

  public Vertx vertx() {
    return context.owner();
  }

  /** Whether the subscription is up (for tests and status). */
  public boolean subscribed() {
    return connection != null;
  }

  private void subscribe() {
    if (connection != null || connecting || closed) {
      return;
    }
    connecting = true;
    gateway.subscriberConnection().compose(c -> {
      c.handler(this::onMessage);
      c.exceptionHandler(err -> lost(c));
      c.endHandler(v -> lost(c));
      return c.send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL)).map(r -> c);
    }).onComplete(ar -> {
      connecting = false;
      if (ar.succeeded()) {
        if (closed) {
          ar.result().close();
          return;
        }
        connection = ar.result();
        reconnectDelay = config.reconnectDelayMs;
        wakeAll(); // a wake-up may have been published while we were not listening
      } else {
        LOG.log(System.Logger.Level.DEBUG, "wake-up subscription failed: " + ar.cause().getMessage());
        retryLater();
      }
    });
  }

  private void lost(RedisConnection c) {
    if (connection == c) {
      connection = null;
      retryLater();
    }
  }

  private void retryLater() {
    if (closed || waiters.isEmpty()) {
      return; // the next waiter re-subscribes
    }
    long delay = reconnectDelay;
    reconnectDelay = Math.min(config.maxReconnectDelayMs, reconnectDelay * 2);
    context.owner().setTimer(Math.max(1, delay), id -> context.runOnContext(v -> subscribe()));
  }

  private void onMessage(Response r) {
    // RESP2 push: ["message", channel, key]; subscribe confirmations are ["subscribe", channel, n]
    if (r == null || r.size() != 3 || !"message".equals(r.get(0).toString())) {
      return;
    }
    List<Runnable> list = waiters.get(r.get(2).toString());
    if (list != null) {
      for (Runnable w : new ArrayList<>(list)) {
        w.run();
      }
    }
  }

  private void wakeAll() {
    List<Runnable> all = new ArrayList<>();
    waiters.values().forEach(all::addAll);
    all.forEach(Runnable::run);
  }

  public void close() {
    closed = true;
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

}
