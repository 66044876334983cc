package io.cachex.service.ops;

import io.cachex.api.CachexError;
import io.cachex.api.LockCommands;
import io.cachex.api.LockLease;
import io.cachex.api.LockOptions;
import io.cachex.service.locks.LockKeys;
import io.cachex.service.locks.LockWaiters;
import io.cachex.service.redis.OperationException;
import io.cachex.service.scripts.LuaScript;
import io.cachex.service.scripts.ScriptRunner;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

import java.security.SecureRandom;
import java.util.List;

/** Lock leases (SEMANTICS.md "Locks"): token ownership, fencing tokens, release notification. */
public interface LockOps extends LockCommands {

  LuaScript ACQUIRE = LuaScript.fromResource("lock_acquire");
  LuaScript RELEASE = LuaScript.fromResource("lock_release");
  LuaScript EXTEND = LuaScript.fromResource("lock_extend");
  LuaScript STATUS = LuaScript.fromResource("lock_status");
  SecureRandom RANDOM = new SecureRandom();

  Ops ops();

  @Override
  default Future<LockLease> acquireLock(String name, LockOptions options) {
    Ops x = ops();
    return x.op("acquireLock", name, () -> {
      JsonObject o = options == null ? new JsonObject() : options.toJson();
      Ops.requireKey(name, "name");
      int version = x.version(Ops.intOption(o, "version"));
      String key = x.key(name, version);
      long leaseMs = leaseMs(o);
      long sleepMs = Math.max(1, Math.round(seconds(o, "sleep", 0.1) * 1000));
      boolean blocking = !o.containsKey("blocking") || o.getValue("blocking") == null || Ops.flag(o, "blocking");
      double maxWait = x.config.maxBlockingTimeout;
      double wait = o.getValue("blockingTimeout") == null ? maxWait : Math.min(maxWait, seconds(o, "blockingTimeout", maxWait));
      byte[] random = new byte[16];
      RANDOM.nextBytes(random);
      StringBuilder token = new StringBuilder(32);
      for (byte b : random) {
        token.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      LockLease template = new LockLease().setName(name).setToken(token.toString()).setLeaseMs(leaseMs).setVersion(version);
      Context ctx = Vertx.currentContext();
      Acquire a = new Acquire(x, ctx, key, template, blocking, sleepMs, System.currentTimeMillis() + Math.round(wait * 1000));
      a.start();
      return a.promise.future();
    });
  }

  @Override
  default Future<Void> releaseLock(LockLease lease) {
    Ops x = ops();
    String name = lease == null ? null : lease.getName();
    return x.op("releaseLock", name, () -> {
      String key = leaseKey(x, lease);
      return ScriptRunner.run(x.redis, RELEASE, List.of(key), new JsonArray().add(lease.getToken()).add(LockWaiters.CHANNEL))
          .map(r -> {
            if (r.toLong() != 1) {
              throw notOwned();
            }
            return null;
          });
    });
  }

  @Override
  default Future<LockLease> extendLock(LockLease lease, Long additionalMs, Boolean replace) {
    Ops x = ops();
    String name = lease == null ? null : lease.getName();
    return x.op("extendLock", name, () -> {
      String key = leaseKey(x, lease);
      if (additionalMs == null || additionalMs <= 0) {
        throw new IllegalArgumentException("field 'additionalMs' must be a positive number of milliseconds");
      }
      long start = System.currentTimeMillis();
      JsonArray args = new JsonArray().add(lease.getToken()).add(additionalMs).add(Boolean.TRUE.equals(replace) ? "1" : "0");
      return ScriptRunner.run(x.redis, EXTEND, List.of(key), args).map(r -> {
        long remaining = r.toLong();
        if (remaining < 0) {
          throw notOwned();
        }
        return new LockLease(lease.toJson().copy()).setExpiresAt(start + remaining);
      });
    });
  }

  @Override
  default Future<JsonObject> lockStatus(String name, LockLease lease, Integer version) {
    Ops x = ops();
    return x.op("lockStatus", name, () -> {
      Ops.requireKey(name, "name");
      Integer v = version != null ? version : lease != null ? lease.getVersion() : null;
      String key = x.key(name, v);
      return ScriptRunner.run(x.redis, STATUS, List.of(key), null).map(r -> {
        Response holder = r.get(0);
        boolean held = holder != null && holder.type() == ResponseType.BULK;
        long pttl = r.get(1).toLong();
        JsonObject status = new JsonObject().put("held", held);
        status.put("ownedByLease", lease == null ? null : held && holder.toString().equals(lease.getToken()));
        status.put("ttlMs", held && pttl >= 0 ? pttl : null);
        return status;
      });
    });
  }

  private static String leaseKey(Ops x, LockLease lease) {
    if (lease == null) {
      throw new IllegalArgumentException("field 'lease' must be a lease object from acquireLock");
    }
    Ops.requireKey(lease.getName(), "lease.name");
    String token = lease.toJson().getValue("token") instanceof String ? lease.getToken() : null;
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException("field 'lease.token' must be a non-empty string");
    }
    return x.key(lease.getName(), Ops.intOption(lease.toJson(), "version"));
  }

  private static OperationException notOwned() {
    return new OperationException(CachexError.LOCK_NOT_OWNED,
        "the lease does not own the lock (it expired, was released, or another holder has it)");
  }

  private static long leaseMs(JsonObject o) {
    Object ms = o.getValue("leaseMs");
    if (ms != null) {
      if (!(ms instanceof Number) || ((Number) ms).longValue() <= 0) {
        throw new IllegalArgumentException("field 'leaseMs' must be a positive number of milliseconds");
      }
      return ((Number) ms).longValue();
    }
    if (o.containsKey("timeout") && o.getValue("timeout") == null) {
      throw new IllegalArgumentException("field 'timeout' must be a positive number of seconds (a lease always expires)");
    }
    long l = Math.round(seconds(o, "timeout", 30) * 1000);
    if (l <= 0) {
      throw new IllegalArgumentException("field 'timeout' must be a positive number of seconds");
    }
    return l;
  }

  private static double seconds(JsonObject o, String field, double def) {
    Object v = o.getValue(field);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number) || ((Number) v).doubleValue() < 0 || Double.isNaN(((Number) v).doubleValue())) {
      throw new IllegalArgumentException("field '" + field + "' must be a non-negative number of seconds");
    }
    return ((Number) v).doubleValue();
  }

  /** One acquire: attempts now, then on each release notification of the key and every sleep, until the deadline. */
  final class Acquire {
    final Promise<LockLease> promise = Promise.promise();
    private final Ops x;
    private final Context ctx;
    private final String key;
    private final LockLease template;
    private final boolean blocking;
    private final long sleepMs;
    private final long deadline;
    private final List<String> keys;
    private boolean inFlight;
    private boolean wokenInFlight;
    private long timer = -1;
    private Runnable unregister;

    Acquire(Ops x, Context ctx, String key, LockLease template, boolean blocking, long sleepMs, long deadline) {
      this.x = x;
      this.ctx = ctx;
      this.key = key;
      this.template = template;
      this.blocking = blocking;
      this.sleepMs = sleepMs;
      this.deadline = deadline;
      this.keys = List.of(key, LockKeys.fenceKey(key));
    }

    void start() {
      if (blocking && ctx != null && deadline > System.currentTimeMillis()) {
        LockWaiters w = OpsState.of(x, LockWaiters.class, o -> new LockWaiters(ctx, o.redis));
        unregister = w.register(key, this::wake);
      }
      attempt();
    }

    private void attempt() {
      timer = -1;
      inFlight = true;
      wokenInFlight = false;
      long start = System.currentTimeMillis();
      JsonArray args = new JsonArray().add(template.getToken()).add(template.getLeaseMs());
      ScriptRunner.run(x.redis, ACQUIRE, keys, args).onComplete(ar -> {
        inFlight = false;
        if (promise.future().isComplete()) {
          return;
        }
        if (ar.failed()) {
          finish(null, ar.cause());
          return;
        }
        Response r = ar.result();
        if (r != null && r.type() == ResponseType.NUMBER) {
          finish(new LockLease(template.toJson().copy()).setFencingToken(r.toLong()).setExpiresAt(start + template.getLeaseMs()), null);
          return;
        }
        long now = System.currentTimeMillis();
        if (!blocking || now >= deadline || ctx == null) {
          finish(null, null);
        } else if (wokenInFlight) {
          attempt();
        } else {
          timer = ctx.owner().setTimer(Math.max(1, Math.min(sleepMs, deadline - now)), id -> attempt());
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
        ctx.owner().cancelTimer(timer);
        attempt();
      }
    }

    private void finish(LockLease lease, Throwable failure) {
      if (timer >= 0) {
        ctx.owner().cancelTimer(timer);
        timer = -1;
      }
      if (unregister != null) {
        unregister.run();
        unregister = null;
      }
      if (failure != null) {
        promise.tryFail(failure);
      } else {
        promise.tryComplete(lease);
      }
    }
  }
}
