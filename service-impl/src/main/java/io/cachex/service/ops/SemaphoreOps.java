package io.cachex.service.ops;

import io.cachex.api.SemaphoreLease;
import io.cachex.api.SemaphoreOptions;
import io.cachex.api.contract.OperationException;
import io.cachex.service.dispatch.Cmd;
import io.cachex.service.dispatch.Plan;
import io.cachex.service.locks.LockKeys;
import io.cachex.service.locks.WaitLoop;
import io.cachex.service.locks.WaitLoop.Attempt;
import io.cachex.service.locks.Waiters;
import io.cachex.service.scripts.LuaScript;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Counting semaphores with weights (docs/SEMANTICS.md "Semaphores"). One semaphore is three sorted sets
 * under one hash tag, inside the service's namespace ({@code prefix:cachex:sem:{...}}): its claims
 * (member {@code <weight>:<token>}, score = expiry), its queue (score = arrival) and its waiters'
 * liveness (score = when a waiter that stopped looking counts as gone). Units in use are always the sum
 * of the live claims, so a claim that ran out or a key that was evicted can never leave the count
 * wrong. Every key expires with the last claim or waiter it holds.
 */
public interface SemaphoreOps {
  LuaScript SEM_ACQUIRE = LuaScript.fromResource("semaphore_acquire");
  LuaScript SEM_RELEASE = LuaScript.fromResource("semaphore_release");
  LuaScript SEM_EXTEND = LuaScript.fromResource("semaphore_extend");
  LuaScript SEM_LEAVE = LuaScript.fromResource("semaphore_leave");
  LuaScript SEM_STATUS = LuaScript.fromResource("semaphore_status");

  OpContext ctx();

  /** The keys of one semaphore: claims, queue, waiters' liveness (one slot), and the key its waiters are woken on. */
  record SemaphoreKeys(String claims, String queue, String alive, String wake) {
    static SemaphoreKeys of(OpContext x, String name, Integer version) {
      String base = LockKeys.beside(x.keys, x.cluster, "sem", x.key(name, version));
      return new SemaphoreKeys(base + ":claims", base + ":queue", base + ":alive", base);
    }
  }

  /**
   * One attempt is one script call; a blocking acquire alone waits in the queue ({@link WaitLoop}),
   * attempting again on each release, when the earliest claim runs out and at least every
   * {@code sleep}, and leaves the queue when the wait is over.
   */
  default Plan<SemaphoreLease> acquireSemaphore(String name, Integer capacity, SemaphoreOptions options, Integer version) {
    OpContext x = ctx();
    int v = x.version(version);
    SemaphoreKeys keys = SemaphoreKeys.of(x, name, v);
    if (capacity <= 0) {
      throw OperationException.invalid("field 'capacity' must be a positive integer");
    }
    int weight = options.weight() == null ? 1 : options.weight();
    if (weight <= 0) {
      throw OperationException.invalid("field 'options.weight' must be a positive integer");
    }
    if (weight > capacity) {
      throw OperationException.invalid("field 'options.weight' (" + weight + ") is over the capacity (" + capacity + ")");
    }
    long leaseMs = LeaseTerms.leaseMs(options.leaseMs(), options.lease(), "lease", null);
    long sleepMs = LeaseTerms.sleepMs(options.sleep(), 0.1);
    double wait = LeaseTerms.waitSeconds(x, options.blockingTimeout());
    SemaphoreLease template = new SemaphoreLease().setName(name).setToken(LeaseTerms.newToken()).setWeight(weight)
        .setLeaseMs(leaseMs).setVersion(v);
    if (!options.isBlocking() || wait <= 0) {
      return attempt(keys, template, capacity, null).map(Attempt::value);
    }
    x.refuseWaitingInBatch("a blocking acquireSemaphore (the default; pass {\"blocking\": false})");
    // a waiter looks at least every sleep: one that has not for a few intervals is gone (its instance left)
    long livenessMs = Math.max(2_000, 3 * sleepMs + 1_000);
    return Plan.steps(runner -> {
      long start = System.nanoTime();
      return WaitLoop.run(runner, x.waiters, keys.wake(), () -> attempt(keys, template, capacity, livenessMs),
              seen -> leave(keys, template), sleepMs, start + Math.round(wait * 1e9))
          .andThen(ar -> {
            if (ar.succeeded()) {
              x.observer.semaphoreWait(System.nanoTime() - start, ar.result() != null);
            }
          });
    });
  }

  /** One attempt: the permit, or not yet (queued when {@code livenessMs} is given) with when the earliest claim runs out. */
  private static Plan<Attempt<SemaphoreLease>> attempt(SemaphoreKeys keys, SemaphoreLease template, int capacity, Long livenessMs) {
    long start = System.currentTimeMillis();
    List<Object> args = List.of(member(template), template.getWeight(), capacity, template.getLeaseMs(),
        livenessMs == null ? "" : livenessMs.toString(), Waiters.CHANNEL, keys.wake());
    return Plan.of(Cmd.script(SEM_ACQUIRE, List.of(keys.claims(), keys.queue(), keys.alive()), args), r -> {
      if (r.get(0).toLong() == 1) {
        return Attempt.done(new SemaphoreLease(template.toJson().copy()).setExpiresAt(start + r.get(1).toLong()));
      }
      long freesInMs = r.get(1).toLong();
      return Attempt.notYet(freesInMs >= 0 ? freesInMs + 1 : Long.MAX_VALUE, null);
    });
  }

  private static Plan<SemaphoreLease> leave(SemaphoreKeys keys, SemaphoreLease template) {
    return Plan.of(Cmd.script(SEM_LEAVE, List.of(keys.queue(), keys.alive()), List.of(member(template), Waiters.CHANNEL, keys.wake())),
        r -> null);
  }

  default Plan<Void> releaseSemaphore(SemaphoreLease lease) {
    OpContext x = ctx();
    SemaphoreKeys keys = SemaphoreKeys.of(x, leaseName(lease), lease.getVersion());
    return Plan.of(Cmd.script(SEM_RELEASE, List.of(keys.claims()), List.of(member(lease), Waiters.CHANNEL, keys.wake())), r -> {
      if (r.toLong() != 1) {
        throw notHeld(x);
      }
      return null;
    });
  }

  default Plan<SemaphoreLease> extendSemaphore(SemaphoreLease lease, Long additionalMs, Boolean replace) {
    OpContext x = ctx();
    SemaphoreKeys keys = SemaphoreKeys.of(x, leaseName(lease), lease.getVersion());
    String member = member(lease);
    if (additionalMs <= 0) {
      throw OperationException.invalid("field 'additionalMs' must be a positive number of milliseconds");
    }
    long start = System.currentTimeMillis();
    return Plan.of(Cmd.script(SEM_EXTEND, List.of(keys.claims()), List.of(member, additionalMs, Boolean.TRUE.equals(replace) ? "1" : "0")),
        r -> {
          long remaining = r.toLong();
          if (remaining < 0) {
            throw notHeld(x);
          }
          return new SemaphoreLease(lease.toJson().copy()).setExpiresAt(start + remaining);
        });
  }

  default Plan<JsonObject> semaphoreStatus(String name, SemaphoreLease lease, Integer version) {
    OpContext x = ctx();
    Integer v = version != null ? version : lease != null ? lease.getVersion() : null;
    SemaphoreKeys keys = SemaphoreKeys.of(x, name, v);
    String member = lease == null ? "" : member(lease);
    return Plan.of(Cmd.script(SEM_STATUS, List.of(keys.claims(), keys.alive()), List.of(member)), r -> {
      long left = r.get(3).toLong();
      return new JsonObject().put("used", r.get(0).toLong()).put("holders", r.get(1).toLong()).put("waiting", r.get(2).toLong())
          .put("ownedByLease", lease == null ? null : left >= 0)
          .put("ttlMs", left >= 0 ? left : null);
    });
  }

  /** The claim's member: the weight travels in it, so that the units in use are read from the claims alone. */
  private static String member(SemaphoreLease lease) {
    if (lease.getToken() == null || lease.getToken().isEmpty()) {
      throw OperationException.invalid("field 'lease.token' must be a non-empty string (the lease from acquireSemaphore)");
    }
    if (lease.getWeight() == null || lease.getWeight() <= 0) {
      throw OperationException.invalid("field 'lease.weight' must be a positive integer (the lease from acquireSemaphore)");
    }
    return lease.getWeight() + ":" + lease.getToken();
  }

  private static String leaseName(SemaphoreLease lease) {
    if (lease.getName() == null || lease.getName().isEmpty()) {
      throw OperationException.invalid("field 'lease.name' must be a non-empty string (the lease from acquireSemaphore)");
    }
    return lease.getName();
  }

  private static OperationException notHeld(OpContext x) {
    return LeaseTerms.notOwned(x, "semaphore", "the permit is not held");
  }
}
