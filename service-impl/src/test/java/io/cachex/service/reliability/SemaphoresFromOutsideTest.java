package io.cachex.service.reliability;

import io.cachex.service.support.CoordinationNode;
import io.cachex.service.support.ChildJvm;
import io.cachex.api.CachexService;
import io.cachex.api.SemaphoreLease;
import io.cachex.api.SemaphoreOptions;
import io.cachex.service.CachexVerticle;
import io.cachex.service.support.TestTopologies;
import io.cachex.service.support.Topology;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Semaphores across JVMs: contenders in this JVM and in another never hold more than the capacity
 * (every tenure recorded and checked for overlap, plus a gauge the holders keep on the server), and a
 * holder whose JVM is killed with SIGKILL gives its units back once its lease runs out. On a standalone
 * server and on a Redis Cluster.
 */
class SemaphoresFromOutsideTest {

  /** A service in this JVM and what it needs to start another on the same data. */
  static final class Local implements AutoCloseable {
    final JsonObject config;
    final Vertx vertx = Vertx.vertx();
    final CachexService cache;

    Local(Topology tier) {
      String id = UUID.randomUUID().toString().substring(0, 6);
      config = new JsonObject().put("address", "cachex.sem." + id)
          .put("keyPrefix", tier == Topology.REDIS_CLUSTER ? "{s" + id + "}" : "s" + id)
          .put("redis", TestTopologies.redisConfig(tier));
      vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
      cache = CachexService.createProxyWithOptions(vertx, config.getString("address"), new DeliveryOptions().setSendTimeout(30_000));
    }

    @Override
    public void close() {
      vertx.close().await();
    }
  }

  record Tenure(int weight, long from, long to, long inside) {
    static Tenure parse(String line) {
      String[] f = line.split(" ");
      return new Tenure(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Topology.class, names = {"STANDALONE", "REDIS_CLUSTER"})
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void contendersOnTwoJvmsNeverHoldMoreThanTheCapacity(Topology tier) throws Exception {
    int capacity = 3;
    int flows = 4;
    int rounds = 40;
    try (Local local = new Local(tier);
         ChildJvm other = new ChildJvm("contender", CoordinationNode.class, List.of("contend", local.config.encode(), "-",
             "shared", Integer.toString(capacity), Integer.toString(flows), Integer.toString(rounds), "gauge"))) {
      other.awaitLine("NODE READY", 60_000);
      List<Tenure> tenures = Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < flows; i++) {
        Thread t = new Thread(() -> {
          // the same loop as the other JVM's, its lines kept here instead of printed
          CoordinationNode.contend(local.cache, "shared", capacity, rounds, "gauge", line -> {
            if (line.startsWith("TENURE ")) {
              tenures.add(Tenure.parse(line));
            }
          });
        });
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join(150_000);
      }
      other.awaitLine("CONTEND DONE", 150_000);
      List<Tenure> theirs = other.lines("TENURE ").stream().map(Tenure::parse).toList();
      assertEquals(flows * rounds, tenures.size(), "this JVM's tenures");
      assertEquals(flows * rounds, theirs.size(), "the other JVM's tenures: " + other.lines("NOT ACQUIRED"));
      List<Tenure> all = new ArrayList<>(tenures);
      all.addAll(theirs);
      int max = 0;
      int overlappingAcrossJvms = 0;
      for (Tenure a : all) {
        int held = 0;
        for (Tenure b : all) {
          if (b.from() <= a.from() && a.from() < b.to()) {
            held += b.weight();
          }
        }
        max = Math.max(max, held);
      }
      for (Tenure a : tenures) {
        for (Tenure b : theirs) {
          if (a.from() < b.to() && b.from() < a.to()) {
            overlappingAcrossJvms++;
          }
        }
      }
      long maxGauge = all.stream().mapToLong(Tenure::inside).max().orElse(0);
      System.out.println("semaphore two-JVM figures (" + tier + "): tenures=" + all.size() + " capacity=" + capacity
          + " maxHeldAtOnce=" + max + " maxGauge=" + maxGauge + " tenurePairsOverlappingAcrossJvms=" + overlappingAcrossJvms);
      assertTrue(max <= capacity, "units held at once: " + max);
      assertTrue(maxGauge <= capacity, "gauge: " + maxGauge);
      assertTrue(overlappingAcrossJvms > 0, "the two JVMs did hold permits at the same time");
      assertEquals(0L, local.cache.semaphoreStatus("shared", null, null).await().getLong("used"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Topology.class, names = {"STANDALONE", "REDIS_CLUSTER"})
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aKilledHoldersPermitComesBackAfterItsLease(Topology tier) throws Exception {
    long leaseMs = 2_000;
    try (Local local = new Local(tier);
         ChildJvm holder = new ChildJvm("holder", CoordinationNode.class, List.of("hold", local.config.encode(), "-",
             "killed", "2", "2", Long.toString(leaseMs)))) {
      holder.awaitLine("HOLDING", 60_000);
      SemaphoreOptions one = new SemaphoreOptions().setLeaseMs(10_000);
      assertNull(local.cache.acquireSemaphore("killed", 2, new SemaphoreOptions(one.toJson().copy()).setBlocking(false)).await());
      // its keeper renews: the permit outlives its 2 s lease while the holder lives
      Thread.sleep(2 * leaseMs);
      assertNull(local.cache.acquireSemaphore("killed", 2, new SemaphoreOptions(one.toJson().copy()).setBlocking(false)).await());
      long killNs = System.nanoTime();
      holder.kill();
      SemaphoreLease mine = local.cache.acquireSemaphore("killed", 2, new SemaphoreOptions(one.toJson().copy()).setBlockingTimeout(15)).await();
      long backMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNs);
      System.out.println("semaphore kill figures (" + tier + "): permitBackAfterKillMs=" + backMs + " (lease " + leaseMs + " ms)");
      assertNotNull(mine, "the killed holder's units came back");
      assertTrue(backMs <= leaseMs + 3_000, "within its lease (+ margin): " + backMs + " ms");
      local.cache.releaseSemaphore(mine).await();
    }
  }
}
