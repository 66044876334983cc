package io.cachex.service.near;

import io.cachex.api.CachexService;
import io.cachex.api.near.NearCache;
import io.cachex.api.near.NearCacheOptions;
import io.cachex.cluster.ClusteredVertx;
import io.cachex.servers.LocalServerProcess;
import io.cachex.servers.RedisServers;
import io.cachex.servers.ServerOptions;
import io.cachex.service.CachexVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guarantee, checked on a recorded history: three clustered Vert.x nodes, each running the service and
 * a near cache, with concurrent writers (INCR through each node's near cache, and through a raw client
 * outside the service) and readers on every node; the tracking connections are killed a third of the way in,
 * and the service leaves one node two thirds of the way in.
 *
 * <p>Values only grow (every write is an INCR), so "older" is "smaller". The checker: once a node's near
 * cache has dropped a key (an invalidation delivered, a flush, or its own write acknowledged), every read of
 * that key that starts later on that node returns at least the largest value acknowledged before the drop.
 * At the end, with no writes, every node reads the value stored in Valkey/Redis.
 */
class NearCacheHistoryTest {
  static final int NODES = 3;
  static final int KEYS = 8;
  /** Writers pause this long between writes: a read-heavy workload, the near cache's use. */
  static final long WRITE_PAUSE_MS = 10;
  static final int WRITERS_PER_NODE = 2;
  static final int READERS_PER_NODE = 4;
  static final long RUN_MS = 6_000;

  record Write(String key, long value, long ackNanos, int node) {
  }

  record Read(int node, String key, long startNanos, long value) {
  }

  record Drop(int node, String key, long atNanos) {
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void readsNeverGoBackPastADeliveredInvalidation() throws Exception {
    RedisServers.Source source = RedisServers.localBinaries().isEmpty() ? RedisServers.Source.EMBEDDED : RedisServers.Source.BINARY;
    List<Vertx> nodes = new ArrayList<>();
    List<NearCache> nears = new ArrayList<>();
    try (LocalServerProcess server = (LocalServerProcess) RedisServers.start(source, new ServerOptions())) {
      JsonObject cluster = new JsonObject().put("enabled", true).put("clusterName", "near-" + UUID.randomUUID()).put("port", 18801);
      for (int i = 0; i < NODES; i++) {
        nodes.add(ClusteredVertx.start(cluster).await());
      }
      String id = UUID.randomUUID().toString().substring(0, 8);
      String address = "cachex.test.nearhistory." + id;
      String prefix = "h" + id;
      JsonObject config = new JsonObject().put("address", address).put("keyPrefix", prefix)
          .put("redis", new JsonObject().put("endpoints", new JsonArray().add(server.uri())))
          .put("nearCache", new JsonObject().put("enabled", true).put("heartbeatIntervalMs", 200));
      List<String> deployments = new ArrayList<>();
      for (Vertx node : nodes) {
        deployments.add(node.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await());
      }
      Redis raw = Redis.createClient(nodes.get(0), server.uri());
      List<String> keys = new ArrayList<>();
      for (int k = 0; k < KEYS; k++) {
        keys.add("k" + k);
        raw.send(Request.cmd(Command.SET).arg(prefix + ":1:k" + k).arg("0")).await();
      }

      ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Drop> drops = new ConcurrentLinkedQueue<>();
      for (int n = 0; n < NODES; n++) {
        int node = n;
        NearCache near = NearCache.create(nodes.get(n), address,
            CachexService.createProxyWithOptions(nodes.get(n), address, new DeliveryOptions().setSendTimeout(10_000)),
            new NearCacheOptions().setHeartbeatTimeoutMs(2_000));
        near.dropHandler(k -> drops.add(new Drop(node, k, System.nanoTime())));
        nears.add(near);
      }
      long deadline = System.currentTimeMillis() + 30_000;
      while (!nears.stream().allMatch(NearCache::serving) && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(nears.stream().allMatch(NearCache::serving), "every near cache hears heartbeats");
      // every node's service must be reachable before the run
      for (NearCache near : nears) {
        near.service().hasKey("probe").await();
      }

      AtomicBoolean stop = new AtomicBoolean();
      List<CountDownLatch> loops = new ArrayList<>();
      ConcurrentHashMap<String, Long> failures = new ConcurrentHashMap<>();
      AtomicBoolean leaving = new AtomicBoolean();
      for (int n = 0; n < NODES; n++) {
        int node = n;
        CachexService cache = nears.get(n).service();
        Context ctx = nodes.get(n).getOrCreateContext();
        for (int w = 0; w < WRITERS_PER_NODE; w++) {
          loops.add(loop(ctx, stop, leaving, failures, WRITE_PAUSE_MS, new java.util.Random(node * 100 + w), (rnd) -> {
            String key = keys.get(rnd.nextInt(KEYS));
            return cache.incr(key).map(v -> {
              writes.add(new Write(key, v, System.nanoTime(), node));
              return null;
            });
          }));
        }
        for (int r = 0; r < READERS_PER_NODE; r++) {
          loops.add(loop(ctx, stop, leaving, failures, 0, new java.util.Random(node * 100 + 50 + r), (rnd) -> {
            String key = keys.get(rnd.nextInt(KEYS));
            long start = System.nanoTime();
            return cache.get(key).map(v -> {
              reads.add(new Read(node, key, start, v == null ? 0 : ((Number) v).longValue()));
              return null;
            });
          }));
        }
      }
      // the outside writer: a raw client that never goes through the service
      Context outside = nodes.get(0).getOrCreateContext();
      loops.add(loop(outside, stop, leaving, failures, WRITE_PAUSE_MS, new java.util.Random(7), (rnd) -> {
        String key = keys.get(rnd.nextInt(KEYS));
        return raw.send(Request.cmd(Command.INCR).arg(prefix + ":1:" + key)).map(v -> {
          writes.add(new Write(key, v.toLong(), System.nanoTime(), -1));
          return null;
        });
      }));

      Thread.sleep(RUN_MS / 3);
      // a fault: every tracking connection (and every other subscriber) is killed by the server
      long killedNanos = System.nanoTime();
      raw.send(Request.cmd(Command.CLIENT).arg("KILL").arg("TYPE").arg("pubsub")).await();
      Thread.sleep(RUN_MS / 3);
      // a membership change: the service leaves node 2 (its near cache stays, served by the other nodes' services)
      long leftNanos = System.nanoTime();
      leaving.set(true);
      nodes.get(2).undeploy(deployments.get(2)).await();
      Thread.sleep(RUN_MS / 3);
      stop.set(true);
      for (CountDownLatch l : loops) {
        assertTrue(l.await(20, TimeUnit.SECONDS), "loops end");
      }

      List<String> violations = check(new ArrayList<>(writes), new ArrayList<>(reads), new ArrayList<>(drops));
      long flushesAfterKill = drops.stream().filter(d -> d.key() == null && d.atNanos() > killedNanos && d.atNanos() < leftNanos)
          .map(Drop::node).distinct().count();
      long flushesAfterLeave = drops.stream().filter(d -> d.key() == null && d.atNanos() > leftNanos).map(Drop::node).distinct().count();
      List<JsonObject> stats = new ArrayList<>();
      nears.forEach(n -> stats.add(n.stats()));
      System.out.println("near-cache history: writes=" + writes.size() + " reads=" + reads.size() + " drops=" + drops.size()
          + " failures=" + failures.values().stream().mapToLong(Long::longValue).sum() + " violations=" + violations.size() + " nodesFlushedAfterKill=" + flushesAfterKill + " nodesFlushedAfterLeave=" + flushesAfterLeave
          + " stats=" + stats);
      violations.stream().limit(10).forEach(v -> System.out.println("violation: " + v));
      assertTrue(violations.isEmpty(), violations.size() + " reads went back past a delivered invalidation, e.g. "
          + violations.stream().limit(3).toList());
      // quiescence: every node converges on what Valkey/Redis holds
      Thread.sleep(1_000);
      for (String key : keys) {
        long stored = raw.send(Request.cmd(Command.GET).arg(prefix + ":1:" + key)).await().toLong();
        for (int n = 0; n < NODES; n++) {
          CachexService cache = nears.get(n).service();
          long seen = ((Number) cache.get(key).await()).longValue();
          long again = ((Number) cache.get(key).await()).longValue();
          assertEquals(stored, seen, "node " + n + " key " + key);
          assertEquals(stored, again, "node " + n + " key " + key + " (from memory)");
        }
      }

      // requests the bus routed to node 2's service while it left may fail (no handler, discarded, or no reply
      // within the send timeout, as ClusterNodeLossTest shows for the service alone); nothing before may, and
      // only a few
      long failed = failures.values().stream().mapToLong(Long::longValue).sum();
      assertTrue(failures.keySet().stream().allMatch(m -> m.startsWith("after the leave began: ")), "failed operations: " + failures);
      assertTrue(failed * 100 < writes.size() + reads.size(), failed + " failed operations: " + failures);
      assertEquals(NODES, flushesAfterKill, "every node's near cache flushed after the kill");
      assertEquals(NODES, flushesAfterLeave, "every node's near cache flushed when a service instance left");
      // a loaded 2-core machine runs far fewer operations than an idle one: enough to mean something
      assertTrue(writes.size() >= 50 && reads.size() >= 300, "a real workload: " + writes.size() + " writes, " + reads.size() + " reads");
      long hits = stats.stream().mapToLong(s -> s.getLong("hits")).sum();
      assertTrue(hits > 0, "reads were answered from memory: " + stats);

      // invalidation latency: a write acknowledged on node 0, the key dropped on node 1
      long[][] latencies = invalidationLatencies(nears.get(0).service(), nears.get(1), 200);
      for (int i = 0; i < 2; i++) {
        long[] l = latencies[i];
        Arrays.sort(l);
        System.out.printf("near-cache invalidation latency (%s on A -> dropped on B): p50=%.2f ms p99=%.2f ms max=%.2f ms (n=%d)%n",
            i == 0 ? "write sent" : "write acknowledged", l[l.length / 2] / 1e6, l[(int) (l.length * 0.99)] / 1e6, l[l.length - 1] / 1e6, l.length);
      }
      raw.close();
    } finally {
      nears.forEach(NearCache::close);
      for (Vertx node : nodes) {
        node.close().await();
      }
    }
  }

  /**
   * For each of {@code n} writes on A: the time from sending it, and from its acknowledgement, until B dropped its
   * key (0 when B dropped it before A had the acknowledgement).
   */
  static long[][] invalidationLatencies(CachexService a, NearCache b, int n) throws Exception {
    long[][] out = new long[2][n];
    for (int i = 0; i < n; i++) {
      String key = "lat" + i;
      CountDownLatch dropped = new CountDownLatch(1);
      long[] at = new long[1];
      b.dropHandler(k -> {
        if (key.equals(k) && dropped.getCount() > 0) {
          at[0] = System.nanoTime();
          dropped.countDown();
        }
      });
      long sent = System.nanoTime();
      a.set(key, i).await();
      long acked = System.nanoTime();
      assertTrue(dropped.await(5, TimeUnit.SECONDS), "the write of " + key + " reached B");
      out[0][i] = at[0] - sent;
      out[1][i] = Math.max(0, at[0] - acked);
    }
    b.dropHandler(null);
    return out;
  }

  static CountDownLatch loop(Context ctx, AtomicBoolean stop, AtomicBoolean leaving, Map<String, Long> failures, long pauseMs, java.util.Random rnd,
                             java.util.function.Function<java.util.Random, Future<Void>> op) {
    CountDownLatch done = new CountDownLatch(1);
    Runnable[] step = new Runnable[1];
    step[0] = () -> {
      if (stop.get()) {
        done.countDown();
        return;
      }
      Future<Void> f;
      try {
        f = op.apply(rnd);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        if (ar.failed()) {
          failures.merge((leaving.get() ? "after the leave began: " : "") + ar.cause().getMessage(), 1L, Long::sum);
        }
        if (pauseMs > 0) {
          ctx.owner().setTimer(pauseMs, id -> ctx.runOnContext(v -> step[0].run()));
        } else {
          ctx.runOnContext(v -> step[0].run());
        }
      });
    };
    ctx.runOnContext(v -> step[0].run());
    return done;
  }

  /**
   * For each node and key: the drops there (a key dropped, everything flushed, or an own write acknowledged)
   * in time order, each bounding later reads from below by the largest value acknowledged before it.
   */
  static List<String> check(List<Write> writes, List<Read> reads, List<Drop> drops) {
    List<String> violations = new ArrayList<>();
    writes.sort(Comparator.comparingLong(Write::ackNanos));
    List<Read> sortedReads = new ArrayList<>(reads);
    sortedReads.sort(Comparator.comparingLong(Read::startNanos));
    Map<String, List<Write>> writesByKey = new java.util.HashMap<>();
    writes.forEach(w -> writesByKey.computeIfAbsent(w.key(), k -> new ArrayList<>()).add(w));
    for (Read r : sortedReads) {
      // bound = max over writes W of this key acknowledged before some drop D (on r's node, of r's key or a
      // flush, or W itself if it was r's node's own write) that happened before r started
      long bound = 0;
      long lastEvent = lastDropBefore(drops, r.node(), r.key(), r.startNanos());
      for (Write w : writesByKey.getOrDefault(r.key(), Collections.emptyList())) {
        boolean own = w.node() == r.node() && w.ackNanos() < r.startNanos();
        boolean announced = w.ackNanos() < lastEvent;
        if ((own || announced) && w.value() > bound) {
          bound = w.value();
        }
      }
      if (r.value() < bound) {
        violations.add(r + " < " + bound);
      }
    }
    return violations;
  }

  private static final Map<String, long[]> DROP_INDEX = new ConcurrentHashMap<>();

  /** The latest drop of {@code key} (or flush) on {@code node} before {@code t}; Long.MIN_VALUE when none. */
  static long lastDropBefore(List<Drop> drops, int node, String key, long t) {
    long[] times = DROP_INDEX.computeIfAbsent(node + "/" + key + "/" + System.identityHashCode(drops), k -> drops.stream()
        .filter(d -> d.node() == node && (d.key() == null || d.key().equals(key)))
        .mapToLong(Drop::atNanos).sorted().toArray());
    int i = Arrays.binarySearch(times, t);
    int idx = i >= 0 ? i - 1 : -i - 2;
    return idx >= 0 ? times[idx] : Long.MIN_VALUE;
  }
}
