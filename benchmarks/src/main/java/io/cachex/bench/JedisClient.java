package io.cachex.bench;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.params.SetParams;

import java.net.URI;
import java.util.HashSet;
import java.util.Set;

/** Jedis: a JedisPool as large as the in-flight count, one thread per request in flight. */
public final class JedisClient implements BenchClient {
  private final JedisPool pool;
  private final Set<Integer> loaded = new HashSet<>();
  private final int maxInFlight;

  public JedisClient(String uri, int maxInFlight) {
    this.maxInFlight = maxInFlight;
    JedisPoolConfig config = new JedisPoolConfig();
    config.setMaxTotal(maxInFlight);
    config.setMaxIdle(maxInFlight);
    config.setJmxEnabled(false);
    pool = new JedisPool(config, URI.create(uri));
  }

  @Override
  public String name() {
    return "jedis";
  }

  @Override
  public String describe() {
    return "Jedis, JedisPool(maxTotal " + maxInFlight + "), one thread per request in flight";
  }

  @Override
  public Driver.Issuer issuer() {
    return new Driver.Issuer() {
      @Override
      public void execute(Runnable task) {
        task.run();
      }

      @Override
      public boolean threadPerSlot() {
        return true;
      }
    };
  }

  /** A blocking call on a pooled connection; completes the callback inline. */
  private Driver.Op op(OpBody body) {
    return (slot, seq, cb) -> {
      Throwable error = null;
      try (Jedis j = pool.getResource()) {
        body.run(j, slot, seq);
      } catch (Throwable t) {
        error = t;
      }
      cb.done(error);
    };
  }

  private interface OpBody {
    void run(Jedis j, int slot, long seq);
  }

  private void preload(int size) {
    if (!loaded.add(size)) {
      return;
    }
    String value = Workload.value(size, 1);
    try (Jedis j = pool.getResource()) {
      for (int g = 0; g < Workload.GROUPS; g++) {
        String[] kv = new String[Workload.BATCH * 2];
        for (int i = 0; i < Workload.BATCH; i++) {
          kv[2 * i] = Workload.readKey(size, g * Workload.BATCH + i);
          kv[2 * i + 1] = value;
        }
        j.mset(kv);
      }
    }
  }

  @Override
  public Driver.Op prepare(Workload w) throws Exception {
    int size = w.valueSize;
    String value = Workload.value(size, 2);
    SetParams ttl = SetParams.setParams().ex(Workload.SET_TTL_SECONDS);
    switch (w.kind) {
      case GET:
        preload(size);
        return op((j, slot, seq) -> j.get(Workload.readKey(size, Workload.readIndex(slot, seq))));
      case SET:
        return op((j, slot, seq) -> j.set(Workload.writeKey(size, slot, seq), value, ttl));
      case GET_MANY: {
        preload(100);
        String[][] groups = new String[Workload.GROUPS][];
        for (int g = 0; g < groups.length; g++) {
          groups[g] = Workload.manyReadKeys(g);
        }
        return op((j, slot, seq) -> j.mget(groups[Workload.group(slot, seq)]));
      }
      case SET_MANY: {
        String[][] groups = new String[Workload.GROUPS][];
        for (int g = 0; g < groups.length; g++) {
          String[] keys = Workload.manyWriteKeys(g);
          groups[g] = new String[keys.length * 2];
          for (int i = 0; i < keys.length; i++) {
            groups[g][2 * i] = keys[i];
            groups[g][2 * i + 1] = value;
          }
        }
        return op((j, slot, seq) -> j.mset(groups[Workload.group(slot, seq)]));
      }
      case INCR:
        return op((j, slot, seq) -> j.incr("bench:incr:" + slot));
      case HASH:
        return op((j, slot, seq) -> {
          if ((seq & 1) == 0) {
            j.hset("bench:h:" + slot, "f", value);
          } else {
            j.hget("bench:h:" + slot, "f");
          }
        });
      case LIST:
        return op((j, slot, seq) -> {
          if ((seq & 1) == 0) {
            j.lpush("bench:l:" + slot, value);
          } else {
            j.rpop("bench:l:" + slot);
          }
        });
      case LOCK: {
        SetParams nx = SetParams.setParams().nx().px(Workload.LOCK_LEASE_MILLIS);
        return op((j, slot, seq) -> {
          String key = "bench:lock:" + slot;
          String token = Workload.token(slot, seq);
          if (!"OK".equals(j.set(key, token, nx))) {
            throw new IllegalStateException("lock not acquired");
          }
          Object n = j.eval(Workload.UNLOCK_SCRIPT, 1, key, token);
          if (!Long.valueOf(1).equals(n)) {
            throw new IllegalStateException("lock not owned");
          }
        });
      }
      default:
        throw new Skip("not implemented");
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
