package io.cachex.service.reliability;

import io.cachex.api.CachexError;
import io.cachex.api.LockLease;
import io.cachex.api.LockOptions;
import io.cachex.service.support.ServiceTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lock leases when holders stall: a holder that stops renewing but keeps working loses the lock
 * when its lease runs out (release and extend are refused, the next holder fences higher), and in a
 * contention run with random long pauses no two holders with valid leases ever overlap.
 */
class LocksUnderFaultsTest extends ServiceTest {
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void holderPausedPastItsLeaseIsRefusedAndTheNextHolderFencesHigher() throws Exception {
    LockLease held = cache.acquireLock("paused", new LockOptions().setLeaseMs(300)).await();
    // renewing keeps it: 6 renewals over 600 ms, twice the lease, nobody else gets in
    for (int i = 0; i < 6; i++) {
      Thread.sleep(100);
      held = cache.extendLock(held, 300L, true).await();
      assertNull(cache.acquireLock("paused", new LockOptions().setLeaseMs(5000).setBlocking(false)).await(),
          "renewed lease still holds at " + (i + 1) * 100 + " ms");
    }
    // the holder "pauses" (GC, stalled VM): it stops renewing but will carry on working afterwards
    long pausedAt = System.nanoTime();
    LockLease next = cache.acquireLock("paused", new LockOptions().setLeaseMs(5000).setSleep(0.02).setBlockingTimeout(5)).await();
    long waitedMs = (System.nanoTime() - pausedAt) / 1_000_000;
    assertNotNull(next, "the next holder gets the lock once the lease ran out");
    assertTrue(waitedMs >= 150, "not before the lease ran out: " + waitedMs + " ms");
    assertTrue(next.getFencingToken() > held.getFencingToken(), next.getFencingToken() + " > " + held.getFencingToken());
    Thread.sleep(400); // the paused holder wakes up well past its lease and tries to carry on
    assertFails(CachexError.LOCK_NOT_OWNED, cache.extendLock(held, 1000L, null));
    assertFails(CachexError.LOCK_NOT_OWNED, cache.extendLock(held, 1000L, true));
    assertFails(CachexError.LOCK_NOT_OWNED, cache.releaseLock(held));
    assertEquals(true, cache.lockStatus("paused", next, null).await().getBoolean("ownedByLease"),
        "the late holder's refused calls left the new holder's lock alone");
    cache.releaseLock(next).await();
  }

  /** One tenure: when its acquire was sent and returned, when its release was sent, and how the release went. */
  static final class Tenure {
    final int holder;
    final long fence;
    final long acquireSentNs;
    final long acquiredNs;
    long releaseSentNs;
    boolean releaseRefused;

    Tenure(int holder, long fence, long acquireSentNs, long acquiredNs) {
      this.holder = holder;
      this.fence = fence;
      this.acquireSentNs = acquireSentNs;
      this.acquiredNs = acquiredNs;
    }

    boolean overlaps(Tenure o) {
      return acquiredNs < o.releaseSentNs && o.acquiredNs < releaseSentNs;
    }

    @Override
    public String toString() {
      return "holder " + holder + " fence " + fence + " [" + acquiredNs / 1_000_000 + ", " + releaseSentNs / 1_000_000 + "]"
          + (releaseRefused ? " refused" : "");
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void contentionWithRandomPausesNeverOverlapsValidLeases() throws Exception {
    final long leaseMs = 150;
    final int holders = 5;
    final int rounds = 15;
    List<Tenure> tenures = Collections.synchronizedList(new ArrayList<>());
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int h = 0; h < holders; h++) {
      int holder = h;
      Thread t = new Thread(() -> {
        Random random = new Random(holder);
        try {
          for (int r = 0; r < rounds; r++) {
            long sent = System.nanoTime();
            LockLease lease = cache.acquireLock("contended", new LockOptions().setLeaseMs(leaseMs).setSleep(0.01)
                .setBlockingTimeout(20)).await();
            assertNotNull(lease, "acquired within the wait");
            Tenure tenure = new Tenure(holder, lease.getFencingToken(), sent, System.nanoTime());
            // a quarter of the time the holder stalls past its lease inside the critical section
            Thread.sleep(random.nextInt(4) == 0 ? leaseMs + 50 + random.nextInt(150) : random.nextInt(30));
            tenure.releaseSentNs = System.nanoTime();
            try {
              cache.releaseLock(lease).await();
            } catch (RuntimeException e) {
              assertEquals(CachexError.LOCK_NOT_OWNED, CachexError.of(e), String.valueOf(e));
              tenure.releaseRefused = true;
            }
            tenures.add(tenure);
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join(80_000);
    }
    assertTrue(errors.isEmpty(), () -> "holder failed: " + errors);
    assertEquals(holders * rounds, tenures.size());
    assertEquals(tenures.size(), new HashSet<>(tenures.stream().map(x -> x.fence).toList()).size(), "fencing tokens are unique");

    int overlaps = 0;
    int refused = 0;
    for (Tenure a : tenures) {
      if (a.releaseRefused) {
        refused++;
        // refused only because the lease really ran out: it was held at least leaseMs
        assertTrue((a.releaseSentNs - a.acquireSentNs) / 1_000_000 >= leaseMs - 5, "refused before its lease ended: " + a);
      }
      for (Tenure b : tenures) {
        if (a.fence < b.fence && a.overlaps(b)) {
          overlaps++;
          assertTrue(a.releaseRefused, "two valid leases overlapped: " + a + " and " + b);
          assertTrue(b.acquiredNs >= a.acquireSentNs + leaseMs * 1_000_000, "the later holder got in before the earlier lease could end: " + a + " and " + b);
        }
      }
    }
    System.out.println("lock contention figures: tenures=" + tenures.size() + " refusedReleases=" + refused
        + " overlapsAllWithExpiredEarlierLease=" + overlaps);
    assertTrue(refused > 0, "some holders did stall past their lease");
  }
}
