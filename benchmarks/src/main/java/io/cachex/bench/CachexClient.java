package io.cachex.bench;

import io.cachex.api.CachexService;
import io.cachex.api.LockOptions;
import io.cachex.cluster.ClusteredVertx;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * {@link CachexService} through the generated proxy: either on the local event bus (service and caller
 * in one Vert.x), or across a clustered bus (service on one Hazelcast member, the proxy on another,
 * both in this JVM). Requests are issued from one event loop of the caller's Vert.x.
 */
public final class CachexClient implements BenchClient {
  private final String name;
  private final Vertx serviceVertx;
  private final Vertx callerVertx;
  private final Context context;
  private final String address = "cachex-bench-" + UUID.randomUUID();
  private final CachexService cache;
  private final int instances;
  private final Set<Integer> loaded = new HashSet<>();
  private final boolean coalescing;

  /** Which way the caller reaches the service. */
  enum Via { PROXY, COALESCING, NEAR }

  private CachexClient(String name, Vertx serviceVertx, Vertx callerVertx, String uri, int instances, Via via) throws Exception {
    this.name = name;
    this.coalescing = via == Via.COALESCING;
    this.serviceVertx = serviceVertx;
    this.callerVertx = callerVertx;
    this.instances = instances;
    JsonObject config = new JsonObject()
        .put("address", address)
        .put("redis", new JsonObject().put("endpoints", new JsonArray().add(uri)));
    if (via == Via.NEAR) {
      config.put("nearCache", new JsonObject().put("enabled", true));
    }
    await(serviceVertx.deployVerticle("io.cachex.service.CachexVerticle",
        new DeploymentOptions().setInstances(instances).setConfig(config)), 60);
    context = callerVertx.getOrCreateContext();
    CachexService proxy = CachexService.createProxy(callerVertx, address);
    if (via == Via.NEAR) {
      io.cachex.api.near.NearCache nc = io.cachex.api.near.NearCache.create(callerVertx, address, proxy,
          new io.cachex.api.near.NearCacheOptions());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!nc.serving() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      cache = nc.service();
    } else if (via == Via.COALESCING) {
      cache = io.cachex.api.CoalescingCachexService.create(callerVertx, address, new io.cachex.api.CoalescingCachexService.Options()
          .setMaxInFlight(Integer.getInteger("bench.coalesceInFlight", 1)).setMaxBatch(Integer.getInteger("bench.coalesceBatch", 32)));
    } else {
      cache = proxy;
    }
    awaitFirstAnswer(name, cache);
  }

  /** On a clustered bus the caller learns the service's registration asynchronously: wait for a call to succeed. */
  static void awaitFirstAnswer(String name, CachexService cache) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        await(cache.get("bench:probe"), 5);
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(name + ": the service did not answer within 60 s: " + e, e);
        }
        Thread.sleep(200);
      }
    }
  }

  /** The service and the caller on one local bus; {@code coalescing}: the coalescing proxy instead of the generated one. */
  public static CachexClient local(String uri, int instances, boolean coalescing) throws Exception {
    Vertx vertx = Vertx.vertx();
    return new CachexClient(coalescing ? "coalescing-local" : "cachex-local", vertx, vertx, uri, instances, coalescing ? Via.COALESCING : Via.PROXY);
  }

  /** The local proxy wrapped in a near cache (the service publishes invalidations). */
  public static CachexClient near(String uri, int instances) throws Exception {
    Vertx vertx = Vertx.vertx();
    return new CachexClient("cachex-near", vertx, vertx, uri, instances, Via.NEAR);
  }

  public static CachexClient clustered(String uri, int instances, int hazelcastPort, boolean coalescing) throws Exception {
    Vertx[] nodes = twoClusteredNodes(hazelcastPort);
    return new CachexClient(coalescing ? "coalescing-clustered" : "cachex-clustered", nodes[0], nodes[1], uri, instances, coalescing ? Via.COALESCING : Via.PROXY);
  }

  /** Two members of a fresh Hazelcast cluster (loopback) in this JVM: {service node, caller node}. */
  static Vertx[] twoClusteredNodes(int hazelcastPort) throws Exception {
    JsonObject cluster = new JsonObject().put("enabled", true)
        .put("clusterName", "bench-" + UUID.randomUUID()).put("port", hazelcastPort);
    return new Vertx[] {await(ClusteredVertx.start(cluster), 120), await(ClusteredVertx.start(cluster), 120)};
  }

  static <T> T await(Future<T> f, int seconds) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }

  @Override
  public String name() {
    return name;
  }

  public int instances() {
    return instances;
  }

  @Override
  public String describe() {
    String via = name.equals("cachex-near") ? "NearCache over the generated proxy"
        : coalescing ? "coalescing proxy (maxInFlight " + Integer.getInteger("bench.coalesceInFlight", 1) + ", maxBatch "
            + Integer.getInteger("bench.coalesceBatch", 32) + ")" : "generated proxy";
    return via + (serviceVertx == callerVertx ? " on the local event bus" : " across a two-member Hazelcast bus (loopback)")
        + ", CachexVerticle instances=" + instances + ", default service config (defaultTimeout 300 s, JSON codec placeholder)";
  }

  @Override
  public Driver.Issuer issuer() {
    return task -> context.runOnContext(v -> task.run());
  }

  private <T> T onContext(java.util.concurrent.Callable<Future<T>> call) throws Exception {
    java.util.concurrent.CompletableFuture<Future<T>> f = new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        f.complete(call.call());
      } catch (Exception e) {
        f.completeExceptionally(e);
      }
    });
    return await(f.get(30, TimeUnit.SECONDS), 30);
  }

  private void preload(int size) throws Exception {
    if (!loaded.add(size)) {
      return;
    }
    for (int g = 0; g < Workload.GROUPS; g++) {
      JsonObject entries = new JsonObject(new java.util.HashMap<>(Workload.readGroup(size, g)));
      List<String> failed = onContext(() -> cache.setMany(entries, null, null));
      if (!failed.isEmpty()) {
        throw new IllegalStateException("preload failed for " + failed.size() + " keys");
      }
    }
  }

  private static Driver.Op adapt(BiFunction<Integer, Long, Future<?>> f) {
    return (slot, seq, cb) -> f.apply(slot, seq).onComplete(ar -> cb.done(ar.cause()));
  }

  @Override
  public Driver.Op prepare(Workload w) throws Exception {
    int size = w.valueSize;
    String value = Workload.value(size, 2);
    JsonArray boxed = new JsonArray().add(value);
    switch (w.kind) {
      case GET:
        preload(size);
        return adapt((slot, seq) -> cache.get(Workload.readKey(size, Workload.readIndex(slot, seq)), null, null));
      case SET:
        return adapt((slot, seq) -> cache.set(Workload.writeKey(size, slot, seq), null, null, boxed));
      case GET_MANY: {
        preload(100);
        List<List<String>> groups = new ArrayList<>();
        for (int g = 0; g < Workload.GROUPS; g++) {
          groups.add(Arrays.asList(Workload.manyReadKeys(g)));
        }
        return adapt((slot, seq) -> cache.getMany(groups.get(Workload.group(slot, seq)), null));
      }
      case SET_MANY: {
        List<JsonObject> groups = new ArrayList<>();
        for (int g = 0; g < Workload.GROUPS; g++) {
          groups.add(new JsonObject(new java.util.HashMap<>(Workload.writeGroup(g, value))));
        }
        return adapt((slot, seq) -> cache.setMany(groups.get(Workload.group(slot, seq)), null, null));
      }
      case INCR:
        return adapt((slot, seq) -> cache.incr("bench:incr:" + slot, null, null));
      case HASH:
        return adapt((slot, seq) -> (seq & 1) == 0
            ? cache.hset("bench:h:" + slot, "f", null, boxed)
            : cache.hget("bench:h:" + slot, "f", null));
      case LIST:
        return adapt((slot, seq) -> (seq & 1) == 0
            ? cache.lpush("bench:l:" + slot, null, boxed)
            : cache.rpop("bench:l:" + slot, null, null));
      case LOCK: {
        // one lock name per slot: no contention; timeout = lease in seconds, as in the reference's lock(),
        // long enough never to expire during a cycle
        LockOptions options = new LockOptions().setTimeout(30);
        return adapt((slot, seq) -> cache.acquireLock("bench:lock:" + slot, options).compose(cache::releaseLock));
      }
      default:
        throw new Skip("not implemented");
    }
  }

  @Override
  public void close() throws Exception {
    if (callerVertx != serviceVertx) {
      await(callerVertx.close(), 60);
    }
    await(serviceVertx.close(), 60);
  }
}
