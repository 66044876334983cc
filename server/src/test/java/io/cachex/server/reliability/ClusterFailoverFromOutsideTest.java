package io.cachex.server.reliability;

import io.cachex.servers.LocalServerProcess;
import io.cachex.servers.RedisClusterTopology;
import io.cachex.servers.ServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A planned Redis Cluster failover measured from outside: two service JVMs on a cluster of 3 primaries and
 * 3 replicas (AOF always), four TCP bridge clients doing set/incr/get, then {@code CLUSTER FAILOVER} on a
 * replica. Its primary stops taking writes until the replica has caught up and then redirects with MOVED,
 * and the services refresh their slot map when the primaries change: no acknowledged write may be lost and
 * no counter may go back. Every acknowledged write is read back from the node serving its slot afterwards.
 */
class ClusterFailoverFromOutsideTest {
  static final long COMMAND_TIMEOUT_MS = 3_000;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis-server", "valkey-server"})
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void manualClusterFailoverUnderLoadLosesNothing(String server) throws Exception {
    Path binary = SentinelFailoverFromOutsideTest.binary(server);
    String prefix = "k" + UUID.randomUUID().toString().substring(0, 6);
    try (RedisClusterTopology cluster = RedisClusterTopology.start(binary, 3, 1, new ServerOptions().appendFsyncAlways())) {
      JsonObject config = new JsonObject().put("address", "cachex").put("keyPrefix", prefix)
          .put("redis", new JsonObject().put("type", "cluster").put("endpoints", new JsonArray(cluster.seedUris()))
              .put("commandTimeoutMs", COMMAND_TIMEOUT_MS).put("connectTimeoutMs", 2_000));
      try (ServiceDeployment deployment = new ServiceDeployment(config)) {
        BridgeLoad load = new BridgeLoad(deployment.clients, 8, prefix, "").start();
        Thread.sleep(3_000);
        LocalServerProcess replica = cluster.replicasOf(0).get(0);
        long failoverNs = System.nanoTime();
        LocalServerProcess oldPrimary = cluster.manualFailover(replica, Duration.ofSeconds(30));
        long doneNs = System.nanoTime();
        Thread.sleep(3_000);
        load.stopAndDrain(COMMAND_TIMEOUT_MS + 5_000);
        BridgeLoad.ReadBack readBack = load.readBack(cluster.primariesByKey(), load.writesUntil(System.nanoTime()));
        long afterFailover = load.writes.stream().filter(a -> a.ackNs > doneNs).count();
        String figures = server + " " + replica.version() + ": " + load + "\n  " + readBack
            + " acknowledgedAfterTheFailover=" + afterFailover
            + " failoverMs=" + TimeUnit.NANOSECONDS.toMillis(doneNs - failoverNs)
            + " writeGapMs=" + load.longestWriteGapMs(failoverNs, doneNs + TimeUnit.SECONDS.toNanos(3))
            + " services saw the primaries change: " + deployment.log("Redis Cluster primaries changed").size() + " times";
        System.out.println("cluster-failover-from-outside figures: " + figures);

        assertTrue(cluster.primariesByKey().apply(prefix + ":1:x") != null);
        assertTrue(oldPrimary.isRunning(), "the old primary stays up as a replica");
        assertEquals(load.issued.get(), load.completed.get(), "every request completed: " + figures);
        load.outcomeCounts().keySet().forEach(outcome -> assertTrue(
            outcome.equals("ok") || outcome.equals("UNAVAILABLE") || outcome.equals("TIMEOUT"),
            "unexpected outcome " + outcome + ": " + figures));
        assertEquals(List.of(), readBack.lost.stream().map(a -> a.key).limit(20).toList(),
            "a manual cluster failover loses no acknowledged write: " + figures);
        assertEquals(List.of(), readBack.countersBehind, "no counter goes back: " + figures);
        assertTrue(afterFailover > 100, "writes go on after the failover: " + figures);
        assertTrue(!deployment.log("Redis Cluster primaries changed").isEmpty(),
            "the services noticed the new primary without waiting for MOVED: " + figures);
      }
    }
  }
}
