package io.cachex.service.ops;

import io.cachex.api.LockLease;
import io.cachex.api.LockOptions;
import io.cachex.api.contract.OperationException;
import io.cachex.service.dispatch.Cmd;
import io.cachex.service.dispatch.Plan;
import io.cachex.service.locks.LockKeys;
import io.cachex.service.locks.WaitLoop;
import io.cachex.service.locks.WaitLoop.Attempt;
import io.cachex.service.locks.Waiters;
import io.cachex.service.scripts.LuaScript;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

import java.util.List;

/** Lock leases (docs/SEMANTICS.md "Locks"): token ownership, fencing tokens, release notification. */
public interface LockOps {

  LuaScript ACQUIRE = LuaScript.fromResource("lock_acquire");
  LuaScript RELEASE = LuaScript.fromResource("lock_release");
  LuaScript EXTEND = LuaScript.fromResource("lock_extend");
  LuaScript STATUS = LuaScript.fromResource("lock_status");

  OpContext ctx();

  /**
   * One attempt is one script call; a blocking acquire alone is a plan of several steps
   * ({@link WaitLoop}): attempts on each release notification of the key and every {@code sleep},
   * until the wait is over.
   */
  default Plan<LockLease> acquireLock(String name, LockOptions options, Integer version) {
    OpContext x = ctx();
    LockOptions o = options == null ? new LockOptions() : options;
    int v = x.version(version);
    String key = x.key(name, v);
    long leaseMs = leaseMs(o);
    long sleepMs = LeaseTerms.sleepMs(o.sleep(), 0.1);
    boolean blocking = o.isBlocking();
    double wait = LeaseTerms.waitSeconds(x, o.blockingTimeout());
    LockLease template = new LockLease().setName(name).setToken(LeaseTerms.newToken()).setLeaseMs(leaseMs).setVersion(v);
    if (!blocking || wait <= 0) {
      return attempt(x, key, template);
    }
    x.refuseWaitingInBatch("a blocking acquireLock (the default; pass {\"blocking\": false})");
    return Plan.steps(runner -> {
      long start = System.nanoTime();
      return WaitLoop.run(runner, x.waiters, key,
              () -> attempt(x, key, template).map(l -> l != null ? Attempt.done(l) : Attempt.<LockLease>notYet(Long.MAX_VALUE, null)),
              Plan::value, sleepMs, start + Math.round(wait * 1e9))
          .andThen(ar -> {
            if (ar.succeeded()) {
              x.observer.lockWait(System.nanoTime() - start, ar.result() != null);
            }
          });
    });
  }

  /** One attempt: the lease with its fencing token, or null when the lock is held. */
  private static Plan<LockLease> attempt(OpContext x, String key, LockLease template) {
    long start = System.currentTimeMillis();
    Cmd acquire = Cmd.script(ACQUIRE, List.of(key, LockKeys.fenceKey(x.keys, x.cluster, key)),
        List.of(template.getToken(), template.getLeaseMs(), LockKeys.FENCE_RETENTION_MS));
    return Plan.of(acquire, r -> r != null && r.type() == ResponseType.NUMBER
        ? new LockLease(template.toJson().copy()).setFencingToken(r.toLong()).setExpiresAt(start + template.getLeaseMs())
        : null);
  }

  default Plan<Void> releaseLock(LockLease lease) {
    String key = leaseKey(ctx(), lease);
    return Plan.of(Cmd.script(RELEASE, List.of(key), List.of(lease.getToken(), Waiters.CHANNEL)), r -> {
      if (r.toLong() != 1) {
        throw notOwned(ctx());
      }
      return null;
    });
  }

  default Plan<LockLease> extendLock(LockLease lease, Long additionalMs, Boolean replace) {
    String key = leaseKey(ctx(), lease);
    if (additionalMs <= 0) {
      throw OperationException.invalid("field 'additionalMs' must be a positive number of milliseconds");
    }
    long start = System.currentTimeMillis();
    Cmd extend = Cmd.script(EXTEND, List.of(key), List.of(lease.getToken(), additionalMs, Boolean.TRUE.equals(replace) ? "1" : "0"));
    return Plan.of(extend, r -> {
      long remaining = r.toLong();
      if (remaining < 0) {
        throw notOwned(ctx());
      }
      return new LockLease(lease.toJson().copy()).setExpiresAt(start + remaining);
    });
  }

  default Plan<JsonObject> lockStatus(String name, LockLease lease, Integer version) {
    OpContext x = ctx();
    Integer v = version != null ? version : lease != null ? lease.getVersion() : null;
    return Plan.of(Cmd.script(STATUS, List.of(x.key(name, v)), List.of()), r -> {
      Response holder = r.get(0);
      boolean held = holder != null && holder.type() == ResponseType.BULK;
      long pttl = r.get(1).toLong();
      JsonObject status = new JsonObject().put("held", held);
      status.put("ownedByLease", lease == null ? null : held && holder.toString().equals(lease.getToken()));
      status.put("ttlMs", held && pttl >= 0 ? pttl : null);
      return status;
    });
  }

  private static String leaseKey(OpContext x, LockLease lease) {
    if (lease.getName() == null || lease.getName().isEmpty()) {
      throw OperationException.invalid("field 'lease.name' must be a non-empty string (the lease from acquireLock)");
    }
    if (lease.getToken() == null || lease.getToken().isEmpty()) {
      throw OperationException.invalid("field 'lease.token' must be a non-empty string (the lease from acquireLock)");
    }
    return x.key(lease.getName(), lease.getVersion());
  }

  private static OperationException notOwned(OpContext x) {
    return LeaseTerms.notOwned(x, "lock", "the lease does not own the lock");
  }

  private static long leaseMs(LockOptions o) {
    if (o.leaseMs() == null && o.toJson().containsKey("timeout") && o.timeout() == null) {
      throw OperationException.invalid("field 'options.timeout' must be a positive number of seconds (a lease always expires)");
    }
    return LeaseTerms.leaseMs(o.leaseMs(), o.timeout(), "timeout", 30_000L);
  }
}
