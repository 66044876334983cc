package io.cachex.service.redis;

import io.cachex.api.CachexService;
import io.cachex.servers.RedisServer;
import io.cachex.servers.RedisServers;
import io.cachex.servers.RespSocket;
import io.cachex.service.support.CachexFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent requests to one service share socket writes: while replies are due, the lane holds new
 * commands back and sends them together from the next reply. Counted on a server of its own through
 * INFO's total_reads_processed (every socket read the server made), and checked not to reorder or
 * lose anything.
 */
@ExtendWith(VertxExtension.class)
class SharedWritesTest {

  @Test
  void aBurstOfRequestsReachesTheServerInFewReadsInOrder(Vertx vertx) {
    try (RedisServer server = RedisServers.start(); RespSocket admin = RespSocket.connect(server.host(), server.port())) {
      CachexFixture fx = CachexFixture.deploy(vertx, new JsonObject()
          .put("redis", new JsonObject().put("type", "standalone").put("endpoints", new JsonArray().add(server.uri()))));
      try {
        CachexService cache = fx.cache;
        cache.set("warm", 0).await();
        long readsBefore = readsProcessed(admin);
        List<Future<?>> sets = new ArrayList<>();
        List<Future<Object>> gets = new ArrayList<>();
        List<Future<Long>> incrs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
          sets.add(cache.set("k" + i, "v" + i));
          gets.add(cache.get("k" + i));
          incrs.add(cache.incr("counter"));
        }
        Future.all(new ArrayList<Future<?>>(gets)).await();
        Future.all(new ArrayList<Future<?>>(incrs)).await();
        Future.all(sets).await();
        long reads = readsProcessed(admin) - readsBefore - 1; // minus the INFO read itself
        for (int i = 0; i < 400; i++) {
          assertEquals("v" + i, gets.get(i).result(), "each get sees the set sent before it");
        }
        TreeSet<Long> counts = new TreeSet<>();
        incrs.forEach(f -> counts.add(f.result()));
        assertEquals(400, counts.size());
        assertEquals(1L, counts.first());
        assertEquals(400L, counts.last());
        // one read per command would be 1,200; shared writes make it a handful
        assertTrue(reads < 120, "1,200 commands took " + reads + " server reads");
      } finally {
        fx.undeploy();
      }
    }
  }

  private static long readsProcessed(RespSocket admin) {
    String info = admin.callString("INFO", "stats");
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("total_reads_processed:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    throw new AssertionError("INFO stats has no total_reads_processed: " + info);
  }
}
