package io.cachex.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** vertx-redis-client on ONE {@link RedisConnection}, driven from its event loop: the reference limit. */
public final class RawVertxClient implements BenchClient {
  private final Vertx vertx;
  private final Context context;
  private final RedisConnection conn;
  private final Set<Integer> loaded = new HashSet<>();

  public RawVertxClient(String uri) throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    CompletableFuture<RedisConnection> c = new CompletableFuture<>();
    context.runOnContext(v -> Redis.createClient(vertx, new RedisOptions().setConnectionString(uri)
            .setPreferredProtocolVersion(ProtocolVersion.RESP2).setMaxWaitingHandlers(100_000))
        .connect().onComplete(ar -> {
          if (ar.succeeded()) {
            c.complete(ar.result());
          } else {
            c.completeExceptionally(ar.cause());
          }
        }));
    conn = c.get(10, TimeUnit.SECONDS);
  }

  @Override
  public String name() {
    return "raw-vertx";
  }

  @Override
  public String describe() {
    return "vertx-redis-client, one RedisConnection (RESP2), requests issued on its event loop";
  }

  @Override
  public Driver.Issuer issuer() {
    return task -> context.runOnContext(v -> task.run());
  }

  private Future<Response> send(Request r) {
    return conn.send(r);
  }

  private void await(Future<?> f) throws Exception {
    f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private void preload(int size) throws Exception {
    if (!loaded.add(size)) {
      return;
    }
    String value = Workload.value(size, 1);
    for (int g = 0; g < Workload.GROUPS; g++) {
      Request mset = Request.cmd(Command.MSET);
      for (int i = 0; i < Workload.BATCH; i++) {
        mset.arg(Workload.readKey(size, g * Workload.BATCH + i)).arg(value);
      }
      CompletableFuture<Object> done = new CompletableFuture<>();
      context.runOnContext(v -> send(mset).onComplete(ar -> done.complete(ar.cause())));
      Object err = done.get(30, TimeUnit.SECONDS);
      if (err != null) {
        throw new IllegalStateException("preload: " + err);
      }
    }
  }

  private static Driver.Op adapt(java.util.function.BiFunction<Integer, Long, Future<?>> f) {
    return (slot, seq, cb) -> f.apply(slot, seq).onComplete(ar -> cb.done(ar.cause()));
  }

  @Override
  public Driver.Op prepare(Workload w) throws Exception {
    int size = w.valueSize;
    String value = Workload.value(size, 2);
    switch (w.kind) {
      case GET:
        preload(size);
        return adapt((slot, seq) -> send(Request.cmd(Command.GET).arg(Workload.readKey(size, Workload.readIndex(slot, seq)))));
      case SET:
        return adapt((slot, seq) -> send(Request.cmd(Command.SET).arg(Workload.writeKey(size, slot, seq)).arg(value)
            .arg("EX").arg(Workload.SET_TTL_SECONDS)));
      case GET_MANY: {
        preload(100);
        String[][] groups = new String[Workload.GROUPS][];
        for (int g = 0; g < groups.length; g++) {
          groups[g] = Workload.manyReadKeys(g);
        }
        return adapt((slot, seq) -> {
          Request r = Request.cmd(Command.MGET);
          for (String k : groups[Workload.group(slot, seq)]) {
            r.arg(k);
          }
          return send(r);
        });
      }
      case SET_MANY: {
        String[][] groups = new String[Workload.GROUPS][];
        for (int g = 0; g < groups.length; g++) {
          groups[g] = Workload.manyWriteKeys(g);
        }
        return adapt((slot, seq) -> {
          Request r = Request.cmd(Command.MSET);
          for (String k : groups[Workload.group(slot, seq)]) {
            r.arg(k).arg(value);
          }
          return send(r);
        });
      }
      case INCR:
        return adapt((slot, seq) -> send(Request.cmd(Command.INCR).arg("bench:incr:" + slot)));
      case HASH:
        return adapt((slot, seq) -> (seq & 1) == 0
            ? send(Request.cmd(Command.HSET).arg("bench:h:" + slot).arg("f").arg(value))
            : send(Request.cmd(Command.HGET).arg("bench:h:" + slot).arg("f")));
      case LIST:
        return adapt((slot, seq) -> (seq & 1) == 0
            ? send(Request.cmd(Command.LPUSH).arg("bench:l:" + slot).arg(value))
            : send(Request.cmd(Command.RPOP).arg("bench:l:" + slot)));
      case LOCK:
        return adapt((slot, seq) -> {
          String key = "bench:lock:" + slot;
          String token = Workload.token(slot, seq);
          return send(Request.cmd(Command.SET).arg(key).arg(token).arg("NX").arg("PX").arg(Workload.LOCK_LEASE_MILLIS))
              .compose(r -> r == null ? Future.failedFuture("lock not acquired")
                  : send(Request.cmd(Command.EVAL).arg(Workload.UNLOCK_SCRIPT).arg(1).arg(key).arg(token)))
              .compose(r -> r.toInteger() == 1 ? Future.succeededFuture() : Future.failedFuture("lock not owned"));
        });
      default:
        throw new Skip("not implemented");
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
