package io.cachex.bench;

import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Redisson's async API (RBucket, RBuckets, RAtomicLong, RMap, RDeque, RLock), single server, StringCodec, default pools. */
public final class RedissonBench implements BenchClient {
  private final RedissonClient redisson;
  private final Set<Integer> loaded = new HashSet<>();

  public RedissonBench(String uri) {
    Config config = new Config();
    config.setCodec(StringCodec.INSTANCE);
    config.useSingleServer().setAddress(uri);
    redisson = Redisson.create(config);
  }

  @Override
  public String name() {
    return "redisson";
  }

  @Override
  public String describe() {
    return "Redisson async API, single-server config with its default connection pool (64) and netty threads, StringCodec";
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
      Map<String, Object> m = new HashMap<>(Workload.readGroup(size, g));
      redisson.getBuckets().setAsync(m).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public Driver.Op prepare(Workload w) throws Exception {
    int size = w.valueSize;
    String value = Workload.value(size, 2);
    Duration ttl = Duration.ofSeconds(Workload.SET_TTL_SECONDS);
    switch (w.kind) {
      case GET:
        preload(size);
        return Driver.Op.ofStage((slot, seq) -> redisson.<String>getBucket(Workload.readKey(size, Workload.readIndex(slot, seq))).getAsync());
      case SET:
        return Driver.Op.ofStage((slot, seq) -> redisson.<String>getBucket(Workload.writeKey(size, slot, seq)).setAsync(value, ttl));
      case GET_MANY: {
        preload(100);
        String[][] groups = new String[Workload.GROUPS][];
        for (int g = 0; g < groups.length; g++) {
          groups[g] = Workload.manyReadKeys(g);
        }
        return Driver.Op.ofStage((slot, seq) -> redisson.getBuckets().getAsync(groups[Workload.group(slot, seq)]));
      }
      case SET_MANY: {
        @SuppressWarnings("unchecked")
        Map<String, Object>[] groups = new Map[Workload.GROUPS];
        for (int g = 0; g < groups.length; g++) {
          groups[g] = new HashMap<>(Workload.writeGroup(g, value));
        }
        return Driver.Op.ofStage((slot, seq) -> redisson.getBuckets().setAsync(groups[Workload.group(slot, seq)]));
      }
      case INCR:
        return Driver.Op.ofStage((slot, seq) -> redisson.getAtomicLong("bench:incr:" + slot).incrementAndGetAsync());
      case HASH:
        return Driver.Op.ofStage((slot, seq) -> (seq & 1) == 0
            ? redisson.<String, String>getMap("bench:h:" + slot).fastPutAsync("f", value)
            : redisson.<String, String>getMap("bench:h:" + slot).getAsync("f"));
      case LIST:
        return Driver.Op.ofStage((slot, seq) -> (seq & 1) == 0
            ? redisson.<String>getDeque("bench:l:" + slot).addFirstAsync(value)
            : redisson.<String>getDeque("bench:l:" + slot).pollLastAsync());
      case LOCK:
        return Driver.Op.ofStage((slot, seq) -> {
          RLock lock = redisson.getLock("bench:lock:" + slot);
          long owner = 1_000_000L + slot; // RLock owners are thread ids; one pseudo-thread per slot
          return lock.lockAsync(Workload.LOCK_LEASE_MILLIS, TimeUnit.MILLISECONDS, owner)
              .thenCompose(v -> lock.unlockAsync(owner));
        });
      default:
        throw new Skip("not implemented");
    }
  }

  @Override
  public void close() {
    redisson.shutdown(0, 10, TimeUnit.SECONDS);
  }

}
