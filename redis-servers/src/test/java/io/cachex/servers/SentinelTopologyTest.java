package io.cachex.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentinelTopologyTest {

  @Test
  void sentinelsPromoteTheReplicaWhenThePrimaryDies() {
    try (SentinelTopology topology = SentinelTopology.start(new ServerOptions().requirePass("pw"))) {
      assertEquals("mymaster", topology.masterName());
      assertEquals(3, topology.sentinelUris().size());
      assertTrue(topology.sentinelUris().get(0).startsWith("redis://127.0.0.1:"), topology.sentinelUris().toString());
      assertEquals(topology.primary().port(), topology.masterAddress().getPort());
      assertEquals(topology.primary(), topology.currentPrimary());

      try (RespSocket primary = topology.primary().connect()) {
        assertEquals("OK", primary.call("SET", "k", "v"));
        assertEquals(1L, primary.call("WAIT", 1, 5000));
      }
      try (RespSocket replica = topology.replica().connect()) {
        assertEquals("v", replica.call("GET", "k"));
      }

      long start = System.nanoTime();
      LocalServerProcess killed = topology.killPrimary();
      assertEquals(topology.primary(), killed);
      LocalServerProcess promoted = topology.awaitFailover(Duration.ofSeconds(15));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(topology.replica(), promoted, "failover after " + millis + " ms");
      assertEquals(topology.replica().port(), topology.masterAddress().getPort());
      try (RespSocket socket = promoted.connect()) {
        assertEquals("v", socket.call("GET", "k"));
        assertEquals("OK", socket.call("SET", "k", "after failover"));
      }

      // a restarted sentinel keeps the configuration it rewrote: it still knows the new primary
      LocalServerProcess sentinel = topology.sentinels().get(0);
      int sentinelPort = sentinel.port();
      sentinel.restart();
      assertEquals(sentinelPort, sentinel.port());
      try (RespSocket socket = sentinel.connect()) {
        List<?> address = (List<?>) socket.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster");
        assertEquals(Integer.toString(promoted.port()), address.get(1));
      }
    }
  }
}
