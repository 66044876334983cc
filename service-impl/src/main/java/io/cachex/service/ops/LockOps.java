package io.cachex.service.ops;

import io.cachex.api.CachexError;
import io.cachex.api.LockLease;
import io.cachex.api.LockOptions;
import io.cachex.api.contract.OperationException;
import io.cachex.service.dispatch.Cmd;
import io.cachex.service.dispatch.Plan;
import io.cachex.service.dispatch.Runner;
import io.cachex.service.locks.LockKeys;
import io.cachex.service.locks.LockWaiters;
import io.cachex.service.scripts.LuaScript;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

import java.security.SecureRandom;
import java.util.List;

/** Lock leases (docs/SEMANTICS.md "Locks"): token ownership, fencing tokens, release notification. */
public interface LockOps {

  LuaScript ACQUIRE = LuaScript.fromResource("lock_acquire");
  LuaScript RELEASE = LuaScript.fromResource("lock_release");
  LuaScript EXTEND = LuaScript.fromResource("lock_extend");
  LuaScript STATUS = LuaScript.fromResource("lock_status");
  SecureRandom RANDOM = new SecureRandom();

  OpContext ctx();

  /**
   * One attempt is one script call; a blocking acquire alone is a plan of several steps: attempts
   * on each release notification of the key and every {@code sleep}, until the wait is over.
   */
  default Plan<LockLease> acquireLock(String name, LockOptions options, Integer version) {
    OpContext x = ctx();
    LockOptions o = options == null ? new LockOptions() : options;
    int v = x.version(version);
    String key = x.key(name, v);
    long leaseMs = leaseMs(o);
    long sleepMs = Math.max(1, Math.round(seconds(o.sleep(), "sleep", 0.1) * 1000));
    boolean blocking = o.isBlocking();
    double maxWait = x.config.maxBlockingTimeout;
    double wait = o.blockingTimeout() == null ? maxWait : Math.min(maxWait, seconds(o.blockingTimeout(), "blockingTimeout", maxWait));
    LockLease template = new LockLease().setName(name).setToken(newToken()).setLeaseMs(leaseMs).setVersion(v);
    if (!blocking || wait <= 0) {
      return attempt(x, key, template);
    }
    x.refuseWaitingInBatch("a blocking acquireLock (the default; pass {\"blocking\": false})");
    long deadline = System.nanoTime() + Math.round(wait * 1e9);
    return Plan.steps(runner -> new Acquire(runner, x, key, template, sleepMs, deadline).start());
  }

  /** One attempt: the lease with its fencing token, or null when the lock is held. */
  private static Plan<LockLease> attempt(OpContext x, String key, LockLease template) {
    long start = System.currentTimeMillis();
    Cmd acquire = Cmd.script(ACQUIRE, List.of(key, LockKeys.fenceKey(x.keys, key)),
        List.of(template.getToken(), template.getLeaseMs(), LockKeys.FENCE_RETENTION_MS));
    return Plan.of(acquire, r -> r != null && r.type() == ResponseType.NUMBER
        ? new LockLease(template.toJson().copy()).setFencingToken(r.toLong()).setExpiresAt(start + template.getLeaseMs())
        : null);
  }

  default Plan<Void> releaseLock(LockLease lease) {
    String key = leaseKey(ctx(), lease);
    return Plan.of(Cmd.script(RELEASE, List.of(key), List.of(lease.getToken(), LockWaiters.CHANNEL)), r -> {
      if (r.toLong() != 1) {
        throw notOwned();
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
        throw notOwned();
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

  private static String newToken() {
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    StringBuilder token = new StringBuilder(32);
    for (byte b : random) {
      token.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return token.toString();
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

  private static OperationException notOwned() {
    return new OperationException(CachexError.LOCK_NOT_OWNED,
        "the lease does not own the lock (it expired, was released, or another holder has it)");
  }

  private static long leaseMs(LockOptions o) {
    if (o.leaseMs() != null) {
      if (o.leaseMs() <= 0) {
        throw OperationException.invalid("field 'options.leaseMs' must be a positive number of milliseconds");
      }
      return o.leaseMs();
    }
    if (o.toJson().containsKey("timeout") && o.timeout() == null) {
      throw OperationException.invalid("field 'options.timeout' must be a positive number of seconds (a lease always expires)");
    }
    long l = Math.round(seconds(o.timeout(), "timeout", 30) * 1000);
    if (l <= 0) {
      throw OperationException.invalid("field 'options.timeout' must be a positive number of seconds");
    }
    return l;
  }

  private static double seconds(Double v, String field, double def) {
    if (v == null) {
      return def;
    }
    if (v < 0 || v.isNaN() || v.isInfinite()) {
      throw OperationException.invalid("field 'options." + field + "' must be a non-negative number of seconds");
    }
    return v;
  }

  /** One waiting acquire: attempts now, then on each release notification of the key and every sleep, until the deadline. */
  final class Acquire {
    private final Promise<LockLease> promise = Promise.promise();
    private final Runner runner;
    private final OpContext x;
    private final LockWaiters waiters;
    private final long begun = System.nanoTime();
    private final String key;
    private final LockLease template;
    private final long sleepMs;
    /** System.nanoTime() when the wait is over. */
    private final long deadline;
    private final Vertx vertx;
    private boolean inFlight;
    private boolean wokenInFlight;
    private long timer = -1;
    private Runnable unregister;

    Acquire(Runner runner, OpContext x, String key, LockLease template, long sleepMs, long deadline) {
      this.runner = runner;
      this.x = x;
      this.waiters = x.lockWaiters;
      this.key = key;
      this.template = template;
      this.sleepMs = sleepMs;
      this.deadline = deadline;
      this.vertx = waiters.vertx();
    }

    Future<LockLease> start() {
      unregister = waiters.register(key, this::wake);
      attempt();
      return promise.future();
    }

    private void attempt() {
      timer = -1;
      inFlight = true;
      wokenInFlight = false;
      runner.run(LockOps.attempt(x, key, template)).onComplete(ar -> {
        inFlight = false;
        if (promise.future().isComplete()) {
          return;
        }
        if (ar.failed() || ar.result() != null) {
          finish(ar.result(), ar.cause());
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          finish(null, null);
        } else if (wokenInFlight) {
          attempt();
        } else {
          // rounded up, so that the last attempt is never made before the wait is over
          timer = vertx.setTimer(Math.max(1, Math.min(sleepMs, (left + 999_999) / 1_000_000)), id -> attempt());
        }
      });
    }

    private void wake() {
      if (promise.future().isComplete()) {
        return;
      }
      if (inFlight) {
        wokenInFlight = true;
      } else if (timer >= 0) {
        vertx.cancelTimer(timer);
        attempt();
      }
    }

    private void finish(LockLease lease, Throwable failure) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      if (unregister != null) {
        unregister.run();
        unregister = null;
      }
      x.observer.lockWait(System.nanoTime() - begun, lease != null);
      if (failure != null) {
        promise.tryFail(failure);
      } else {
        promise.tryComplete(lease);
      }
    }
  }
}
