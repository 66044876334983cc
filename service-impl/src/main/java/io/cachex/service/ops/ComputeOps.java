package io.cachex.service.ops;

import io.cachex.api.ComputeLease;
import io.cachex.api.ExpiryOptions;
import io.cachex.api.LeaseOptions;
import io.cachex.api.LeaseResult;
import io.cachex.api.Stampede;
import io.cachex.api.contract.OperationException;
import io.cachex.service.dispatch.Cmd;
import io.cachex.service.dispatch.Plan;
import io.cachex.service.locks.LockKeys;
import io.cachex.service.locks.WaitLoop;
import io.cachex.service.locks.WaitLoop.Attempt;
import io.cachex.service.locks.Waiters;
import io.cachex.service.scripts.LuaScript;
import io.vertx.core.json.JsonArray;

import java.util.List;

import static io.cachex.service.ops.OpContext.unbox;

/**
 * Compute once (docs/SEMANTICS.md "Compute once"): memcached-style leases on a missing value. The lease
 * key lives beside the value key, inside the service's namespace ({@code prefix:cachex:lease:...}) and
 * in its Cluster slot, so that each step is one script; it always carries the lease's expiry.
 */
public interface ComputeOps {
  LuaScript LEASE_GET = LuaScript.fromResource("lease_get");
  LuaScript LEASE_SET = LuaScript.fromResource("lease_set");
  LuaScript LEASE_RELEASE = LuaScript.fromResource("lease_release");
  LuaScript LEASE_EXTEND = LuaScript.fromResource("lease_extend");

  OpContext ctx();

  /**
   * One attempt is one script call: the value, the lease, or busy. Blocking (alone), the attempts go on
   * ({@link WaitLoop}) each time the value key is woken (the value stored or the lease given up), when
   * the holder's lease runs out, and at least every {@code sleep}, until there is a value or a lease.
   */
  default Plan<LeaseResult> getOrLease(String key, LeaseOptions options, Integer version, Stampede stampede) {
    OpContext x = ctx();
    LeaseOptions o = options == null ? new LeaseOptions() : options;
    int v = x.version(version);
    String valueKey = x.key(key, v);
    String leaseKey = LockKeys.beside(x.keys, x.cluster, "lease", valueKey);
    long leaseMs = LeaseTerms.leaseMs(o.leaseMs(), o.lease(), "lease", LeaseOptions.DEFAULT_LEASE_MS);
    long sleepMs = LeaseTerms.sleepMs(o.sleep(), 1.0);
    double wait = LeaseTerms.waitSeconds(x, o.blockingTimeout());
    StampedePolicy policy = x.readPolicy(stampede);
    ComputeLease template = new ComputeLease().setKey(key).setToken(LeaseTerms.newToken()).setLeaseMs(leaseMs).setVersion(v);
    if (!o.isBlocking() || wait <= 0) {
      return leaseAttempt(x, valueKey, leaseKey, template, policy).map(Attempt::value);
    }
    x.refuseWaitingInBatch("a blocking getOrLease (the default; pass {\"blocking\": false})");
    return Plan.steps(runner -> {
      long start = System.nanoTime();
      int[] attempts = {0};
      return WaitLoop.run(runner, x.waiters, valueKey, () -> {
            attempts[0]++;
            return leaseAttempt(x, valueKey, leaseKey, template, policy);
          }, Plan::value, sleepMs, start + Math.round(wait * 1e9))
          .andThen(ar -> {
            if (ar.succeeded() && attempts[0] > 1) {
              x.observer.computeWait(System.nanoTime() - start, ar.result().isHit() ? "value" : ar.result().getStatus());
            }
          });
    });
  }

  private static Plan<Attempt<LeaseResult>> leaseAttempt(OpContext x, String valueKey, String leaseKey, ComputeLease template,
                                                         StampedePolicy policy) {
    long start = System.currentTimeMillis();
    List<Object> args = List.of(template.getToken(), template.getLeaseMs(),
        policy == null ? "" : Long.toString(policy.bufferMs()), policy == null ? "" : Long.toString(policy.drawThresholdMs()));
    return Plan.of(Cmd.script(LEASE_GET, List.of(valueKey, leaseKey), args), r -> {
      String status = r.get(0).toString();
      LeaseResult result = new LeaseResult().setStatus(status);
      switch (status) {
        case LeaseResult.HIT:
          return Attempt.done(result.setValue(x.decode(r.get(1))));
        case LeaseResult.LEASE:
          result.setLease(new ComputeLease(template.toJson().copy()).setExpiresAt(start + template.getLeaseMs()));
          if (r.size() > 1) {
            x.observer.earlyExpiry();
            result.setStale(x.decode(r.get(1)));
          }
          return Attempt.done(result);
        default:
          long left = r.get(1).toLong();
          // look again just after the holder's lease runs out: a holder that died stops extending it
          return Attempt.notYet(left > 0 ? left + 1 : 1, result.setRetryMs(Math.max(0, left)));
      }
    });
  }

  default Plan<Boolean> setLeased(ComputeLease lease, ExpiryOptions options, Stampede stampede, JsonArray value) {
    OpContext x = ctx();
    String valueKey = leaseValueKey(x, lease);
    String leaseKey = LockKeys.beside(x.keys, x.cluster, "lease", valueKey);
    Expiry expiry = x.writeExpiry(options, stampede);
    String ms = expiry.isNever() ? "" : expiry.isNow() ? "0" : Long.toString(expiry.millis());
    List<Object> args = List.of(lease.getToken(), x.encode(unbox(value)), ms, Waiters.CHANNEL);
    return Plan.of(Cmd.script(LEASE_SET, List.of(valueKey, leaseKey), args), r -> {
      long written = r.toLong();
      if (written < 0) {
        throw notHeld(x);
      }
      return written == 1;
    });
  }

  default Plan<Void> releaseLease(ComputeLease lease) {
    OpContext x = ctx();
    String valueKey = leaseValueKey(x, lease);
    String leaseKey = LockKeys.beside(x.keys, x.cluster, "lease", valueKey);
    return Plan.of(Cmd.script(LEASE_RELEASE, List.of(valueKey, leaseKey), List.of(lease.getToken(), Waiters.CHANNEL)), r -> {
      if (r.toLong() != 1) {
        throw notHeld(x);
      }
      return null;
    });
  }

  default Plan<ComputeLease> extendLease(ComputeLease lease, Long additionalMs, Boolean replace) {
    OpContext x = ctx();
    String leaseKey = LockKeys.beside(x.keys, x.cluster, "lease", leaseValueKey(x, lease));
    if (additionalMs <= 0) {
      throw OperationException.invalid("field 'additionalMs' must be a positive number of milliseconds");
    }
    long start = System.currentTimeMillis();
    List<Object> args = List.of(lease.getToken(), additionalMs, Boolean.TRUE.equals(replace) ? "1" : "0");
    return Plan.of(Cmd.script(LEASE_EXTEND, List.of(leaseKey), args), r -> {
      long remaining = r.toLong();
      if (remaining < 0) {
        throw notHeld(x);
      }
      return new ComputeLease(lease.toJson().copy()).setExpiresAt(start + remaining);
    });
  }

  private static String leaseValueKey(OpContext x, ComputeLease lease) {
    if (lease.getKey() == null || lease.getKey().isEmpty()) {
      throw OperationException.invalid("field 'lease.key' must be a non-empty string (the lease from getOrLease)");
    }
    if (lease.getToken() == null || lease.getToken().isEmpty()) {
      throw OperationException.invalid("field 'lease.token' must be a non-empty string (the lease from getOrLease)");
    }
    return x.key(lease.getKey(), lease.getVersion());
  }

  private static OperationException notHeld(OpContext x) {
    return LeaseTerms.notOwned(x, "compute", "the lease to compute this value is not held");
  }
}
