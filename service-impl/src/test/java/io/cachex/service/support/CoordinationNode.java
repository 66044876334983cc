package io.cachex.service.support;

import io.cachex.api.CachexService;
import io.cachex.api.ComputeOptions;
import io.cachex.api.LeaseKeeper;
import io.cachex.api.LeaseOptions;
import io.cachex.api.SemaphoreLease;
import io.cachex.api.SemaphoreOptions;
import io.cachex.cluster.ClusteredVertx;
import io.cachex.service.CachexVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;

/**
 * A node of its own JVM for the tests from outside: a Vert.x node (a member of the clustered event bus
 * when given a cluster section) serving the service like any other node, and one caller on it that
 * takes part in a compute-once or a semaphore, saying on stdout what it does. Killed with SIGKILL, it
 * takes its service instance, its caller and the lease that caller held down together.
 * <pre>
 *   compute  config cluster|- key leaseMs                   run getOrCompute with a loader that never finishes
 *   hold     config cluster|- name capacity weight leaseMs  acquire a permit and keep it (renewed) until killed
 *   contend  config cluster|- name capacity flows rounds gauge  acquire and release in parallel flows, printing every tenure
 * </pre>
 */
public final class CoordinationNode {
  private CoordinationNode() {
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    JsonObject config = new JsonObject(args[1]);
    Vertx vertx = "-".equals(args[2]) ? Vertx.vertx() : ClusteredVertx.start(new JsonObject(args[2])).await();
    vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
    CachexService cache = CachexService.createProxyWithOptions(vertx, config.getString("address"),
        new DeliveryOptions().setSendTimeout(10_000));
    awaitReachable(cache);
    System.out.println("NODE READY");
    switch (mode) {
      case "compute" -> cache.getOrCompute(vertx, args[3], new ComputeOptions().setLease(new LeaseOptions().setLeaseMs(Long.parseLong(args[4]))),
          () -> {
            System.out.println("LOADER STARTED");
            return Promise.promise().future(); // never completes: the node dies holding the lease
          });
      case "hold" -> {
        SemaphoreLease lease = cache.acquireSemaphore(args[3], Integer.parseInt(args[4]),
            new SemaphoreOptions().setWeight(Integer.parseInt(args[5])).setLeaseMs(Long.parseLong(args[6]))).await();
        LeaseKeeper.forSemaphore(vertx, cache, lease);
        System.out.println("HOLDING " + lease.getToken());
      }
      case "contend" -> {
        int flows = Integer.parseInt(args[5]);
        Thread[] threads = new Thread[flows];
        for (int i = 0; i < flows; i++) {
          threads[i] = new Thread(() -> contend(cache, args[3], Integer.parseInt(args[4]), Integer.parseInt(args[6]), args[7],
              System.out::println));
          threads[i].start();
        }
        for (Thread t : threads) {
          t.join();
        }
        System.out.println("CONTEND DONE");
      }
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  /**
   * Acquire, count the units inside on a gauge, hold a few ms, release; one line per permit:
   * {@code TENURE <weight> <granted, epoch us> <release sent, epoch us> <units inside seen by the gauge>}.
   */
  public static void contend(CachexService cache, String name, int capacity, int rounds, String gauge, java.util.function.Consumer<String> out) {
    Random random = new Random();
    for (int n = 0; n < rounds; n++) {
      int weight = 1 + random.nextInt(2);
      SemaphoreLease lease = cache.acquireSemaphore(name, capacity,
          new SemaphoreOptions().setWeight(weight).setLeaseMs(10_000).setBlockingTimeout(20)).await();
      if (lease == null) {
        out.accept("NOT ACQUIRED");
        continue;
      }
      long from = micros();
      long inside = cache.incr(gauge, weight).await();
      try {
        Thread.sleep(random.nextInt(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      cache.decr(gauge, weight).await();
      long to = micros();
      cache.releaseSemaphore(lease).await();
      out.accept("TENURE " + weight + " " + from + " " + to + " " + inside);
    }
  }

  public static long micros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }

  private static void awaitReachable(CachexService cache) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      try {
        cache.hasKey("__node_probe").await();
        return;
      } catch (RuntimeException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }
}
