package io.cachex.service.scripts;

import io.cachex.api.LockLease;
import io.cachex.api.LockOptions;
import io.cachex.api.Pipeline;
import io.cachex.service.support.CachexFixture;
import io.cachex.service.support.Topology;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State that belongs to the service address, not to one instance: a script registered through
 * any instance runs on every instance (requests are spread over four), inside pipelines, after a
 * replacement and after a restart of the service; and pipelines open no connection of their own.
 */
@Tag("contract")
@ExtendWith(VertxExtension.class)
class ServiceStateTest {
  static final int INSTANCES = 4;
  static CachexFixture fx;

  @BeforeAll
  static void deploy(Vertx vertx) {
    fx = CachexFixture.deploy(vertx, null, INSTANCES);
  }

  @AfterAll
  static void undeploy() {
    fx.undeploy();
  }

  @Test
  void aRegisteredScriptRunsOnEveryInstanceInPipelinesAndAfterARestart() {
    fx.cache.registerScript("greet", "return 'hello ' .. ARGV[1]").await();
    // the bus spreads requests round-robin over the instances: every one of them must know it
    for (int i = 0; i < 4 * INSTANCES; i++) {
      assertEquals("hello " + i, fx.cache.evalNamed("greet", List.of(), new JsonArray().add(i)).await());
    }
    Pipeline p = fx.cache.pipeline();
    p.ops().set("st:k", 1);
    Future<Object> inside = p.ops().evalNamed("greet", List.of(), new JsonArray().add("pipeline"));
    p.execute().await();
    assertEquals("hello pipeline", inside.result());

    // a replacement reaches instances that had cached the old text
    fx.cache.registerScript("greet", "return 'bonjour ' .. ARGV[1]").await();
    for (int i = 0; i < 2 * INSTANCES; i++) {
      assertEquals("bonjour " + i, fx.cache.evalNamed("greet", List.of(), new JsonArray().add(i)).await());
    }

    fx.restart();
    assertEquals("bonjour again", fx.cache.evalNamed("greet", List.of(), new JsonArray().add("again")).await());
    if (Topology.current() == Topology.REDIS_CLUSTER) {
      return; // transactions are refused on Redis Cluster
    }
    // in a transaction too: the script goes inside MULTI/EXEC with its source
    Pipeline tx = fx.cache.pipeline();
    Future<Object> txd = tx.ops().evalNamed("greet", List.of(), new JsonArray().add("tx"));
    tx.execute(io.cachex.api.PipelineOptions.transaction()).await();
    assertEquals("bonjour tx", txd.result());
  }

  @Test
  void pipelinesWithLockAttemptsOpenNoConnectionOfTheirOwn() {
    // every instance opens its command connection on first use: use them all before counting
    lockPipelines(0, 4 * INSTANCES);
    int before = settledConnections();
    lockPipelines(100, 50);
    int after = settledConnections();
    // the server is shared with the other classes of the run, whose services may still open or close a
    // connection meanwhile (a run on a clustered bus saw 4 come and go); a connection per pipeline would add 50
    assertTrue(after - before < 25, "client connections before " + before + ", after 50 more pipelines " + after);
  }

  static void lockPipelines(int from, int count) {
    List<Future<LockLease>> leases = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      Pipeline p = fx.cache.pipeline();
      leases.add(p.ops().acquireLock("st:lock:" + i, new LockOptions().setLeaseMs(5000).setBlocking(false)));
      p.ops().incr("st:n");
      p.execute().await();
    }
    leases.forEach(l -> assertNotNull(l.result(), "acquired"));
  }

  /** Client connections the server has (all clients of the test JVM; the count only has to stay flat). */
  /** The number of client connections once it stopped changing (two equal readings 200 ms apart, at most 5 s). */
  static int settledConnections() {
    int last = connections();
    for (int i = 0; i < 25; i++) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      int now = connections();
      if (now == last) {
        return now;
      }
      last = now;
    }
    return last;
  }

  static int connections() {
    String list = fx.redis(Command.CLIENT, "LIST").toString();
    return (int) list.lines().filter(l -> !l.isBlank()).count();
  }
}
