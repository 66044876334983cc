package io.cachex.examples;

import io.cachex.examples.LeasedJobExample.Node;
import io.cachex.examples.LeasedJobExample.Run;
import io.cachex.service.support.CachexFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two Vert.x instances, each with its own service on the same Redis and key prefix, compete for the job. */
class LeasedJobExampleTest {

  @Test
  void theJobRunsOnOneNodeAtATimeWithIncreasingFencingTokens() throws Exception {
    Vertx vertxA = Vertx.vertx();
    Vertx vertxB = Vertx.vertx();
    JsonObject samePrefix = new JsonObject().put("keyPrefix", "leased" + UUID.randomUUID().toString().substring(0, 8));
    CachexFixture a = CachexFixture.deploy(vertxA, samePrefix);
    CachexFixture b = CachexFixture.deploy(vertxB, samePrefix);
    try {
      List<Run> runs = new CopyOnWriteArrayList<>();
      // jobs of 150 ms under 450 ms leases: the keeper renews at 150 ms, some runs see a renewal
      Node nodeA = new Node(vertxA, a.cache, "A", 50, 150, 450, runs);
      Node nodeB = new Node(vertxB, b.cache, "B", 35, 150, 450, runs);
      Thread.sleep(2_000);
      nodeA.stop();
      nodeB.stop();
      Thread.sleep(600); // a job in progress finishes and releases

      List<Run> byStart = new ArrayList<>(runs);
      byStart.sort(Comparator.comparingLong(Run::startNanos));
      assertTrue(byStart.size() >= 3, "the job ran: " + byStart);
      for (int i = 1; i < byStart.size(); i++) {
        Run prev = byStart.get(i - 1);
        Run next = byStart.get(i);
        assertTrue(next.startNanos() >= prev.endNanos(), "run " + i + " overlaps the previous one: " + byStart);
        assertTrue(next.fencingToken() > prev.fencingToken(), "fencing tokens strictly increase: " + byStart);
      }
      assertTrue(byStart.stream().allMatch(Run::written), "the resource accepted every holder: " + byStart);
      assertTrue(byStart.stream().noneMatch(Run::lost), "no lease was lost while kept: " + byStart);
      assertEquals(0, LeasedJobExample.overlaps(byStart));

      Run last = byStart.get(byStart.size() - 1);
      assertEquals("report by " + last.node() + " (token " + last.fencingToken() + ")", a.cache.get("report-output").await());
      assertFalse(LeasedJobExample.writeResource(b.cache, byStart.get(0).fencingToken(), "stale").await(),
          "a stale fencing token is refused");
      assertTrue(LeasedJobExample.writeResource(b.cache, last.fencingToken() + 1, "newer").await());
    } finally {
      a.undeploy();
      b.undeploy();
      vertxA.close().await();
      vertxB.close().await();
    }
  }
}
