package io.cachex.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Lettuce's async API on one shared connection (its recommended use), default ClientResources. */
public final class LettuceClient implements BenchClient {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> conn;
  private final RedisAsyncCommands<String, String> async;
  private final Set<Integer> loaded = new HashSet<>();

  public LettuceClient(String uri) {
    client = RedisClient.create(uri);
    conn = client.connect();
    async = conn.async();
  }

  @Override
  public String name() {
    return "lettuce";
  }

  @Override
  public String describe() {
    return "Lettuce async API, one shared StatefulRedisConnection, default ClientResources";
  }

  @Override
  public Driver.Issuer issuer() {
    return Runnable::run;
  }


  private void preload(int size) throws Exception {
    if (!loaded.add(size)) {
      return;
    }
    for (int g = 0; g < Workload.GROUPS; g++) {
      Map<String, String> m = new HashMap<>(Workload.readGroup(size, g));
      async.mset(m).get(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public Driver.Op prepare(Workload w) throws Exception {
    int size = w.valueSize;
    String value = Workload.value(size, 2);
    SetArgs ttl = SetArgs.Builder.ex(Workload.SET_TTL_SECONDS);
    switch (w.kind) {
      case GET:
        preload(size);
        return Driver.Op.ofStage((slot, seq) -> async.get(Workload.readKey(size, Workload.readIndex(slot, seq))));
      case SET:
        return Driver.Op.ofStage((slot, seq) -> async.set(Workload.writeKey(size, slot, seq), value, ttl));
      case GET_MANY: {
        preload(100);
        String[][] groups = new String[Workload.GROUPS][];
        for (int g = 0; g < groups.length; g++) {
          groups[g] = Workload.manyReadKeys(g);
        }
        return Driver.Op.ofStage((slot, seq) -> async.mget(groups[Workload.group(slot, seq)]));
      }
      case SET_MANY: {
        @SuppressWarnings("unchecked")
        Map<String, String>[] groups = new Map[Workload.GROUPS];
        for (int g = 0; g < groups.length; g++) {
          groups[g] = new HashMap<>(Workload.writeGroup(g, value));
        }
        return Driver.Op.ofStage((slot, seq) -> async.mset(groups[Workload.group(slot, seq)]));
      }
      case INCR:
        return Driver.Op.ofStage((slot, seq) -> async.incr("bench:incr:" + slot));
      case HASH:
        return Driver.Op.ofStage((slot, seq) -> (seq & 1) == 0 ? async.hset("bench:h:" + slot, "f", value) : async.hget("bench:h:" + slot, "f"));
      case LIST:
        return Driver.Op.ofStage((slot, seq) -> (seq & 1) == 0 ? async.lpush("bench:l:" + slot, value) : async.rpop("bench:l:" + slot));
      case LOCK: {
        SetArgs nx = SetArgs.Builder.nx().px(Workload.LOCK_LEASE_MILLIS);
        return Driver.Op.ofStage((slot, seq) -> {
          String key = "bench:lock:" + slot;
          String token = Workload.token(slot, seq);
          return async.set(key, token, nx).thenCompose(r -> {
            if (!"OK".equals(r)) {
              return CompletableFuture.failedFuture(new IllegalStateException("lock not acquired"));
            }
            return async.<Long>eval(Workload.UNLOCK_SCRIPT, ScriptOutputType.INTEGER, new String[] {key}, token);
          }).thenCompose(n -> n == 1L ? CompletableFuture.completedFuture(null)
              : CompletableFuture.failedFuture(new IllegalStateException("lock not owned")));
        });
      }
      default:
        throw new Skip("not implemented");
    }
  }

  @Override
  public void close() {
    conn.close();
    client.shutdown(0, 10, TimeUnit.SECONDS);
  }
}
