package io.cachex.service.actions;

import io.cachex.api.Action;
import io.cachex.api.CachexError;
import io.cachex.api.contract.ActionSpec;
import io.cachex.api.contract.Actions;
import io.cachex.api.contract.OperationException;
import io.cachex.api.contract.Slots;
import io.cachex.service.config.CachexConfig;
import io.cachex.service.dispatch.Dispatcher;
import io.cachex.service.dispatch.Plan;
import io.cachex.service.monitoring.OpObserver;
import io.cachex.service.ops.OpContext;
import io.cachex.service.redis.RedisFailures;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs actions: a request body is decoded by the contract's wire rules, planned by the action's
 * planner, run by the {@link Dispatcher}, and its result encoded; every failure becomes a coded
 * {@link ServiceException} naming the action and key. The same steps, per operation, for the
 * operations of a pipeline. Everything that depends on an action's traits happens here:
 * {@code ignoreExceptions} answers, where an action may run, metrics.
 */
public final class ActionRunner {
  private static final System.Logger LOG = System.getLogger("io.cachex.service");

  private final Actions actions = Actions.cachex();
  private final PlannerBinding binding = PlannerBinding.get();
  private final CachexConfig config;
  private final Dispatcher dispatcher;
  private final OpObserver observer;
  private final Planners planners;

  public ActionRunner(OpContext ctx, Dispatcher dispatcher, OpObserver observer) {
    this.config = ctx.config;
    this.dispatcher = dispatcher;
    this.observer = observer;
    this.planners = new Planners(ctx, this);
  }

  public Actions actions() {
    return actions;
  }

  /** Runs one request alone; the reply's JSON, or a failed ServiceException. */
  public Future<Object> run(ActionSpec spec, JsonObject body) {
    long start = System.nanoTime();
    Object[] args = null;
    Future<Object> result;
    try {
      args = spec.decodeArgs(body, config.limits.maxItemsPerCall);
      result = dispatcher.run(binding.plan(spec, planners, args)).map(spec::encodeResult);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return settle(spec, args, body, start, result);
  }

  /** A request that failed before it named a known action (unknown action, malformed message). */
  public ServiceException refused(String action, Throwable failure) {
    ServiceException se = RedisFailures.translate(action == null ? "request" : action, null, failure);
    observer.rejected(action, CachexError.of(se));
    return se;
  }

  /**
   * The outcome as the caller gets it: a failure translated (with the read's answer instead under
   * {@code ignoreExceptions} when Valkey/Redis is unreachable), and reported to the metrics.
   */
  private Future<Object> settle(ActionSpec spec, Object[] args, JsonObject body, long start, Future<Object> result) {
    return result.recover(err -> {
      String key = args != null ? spec.keyOf(args) : spec.keyOf(body);
      ServiceException se = RedisFailures.translate(spec.name(), key, err);
      CachexError code = CachexError.of(se);
      if (config.ignoreExceptions && spec.reads() && args != null && (code == CachexError.UNAVAILABLE || code == CachexError.TIMEOUT)) {
        if (config.logIgnoredExceptions) {
          LOG.log(System.Logger.Level.WARNING, "ignoreExceptions: " + spec.name() + (key == null ? "" : "(" + key + ")")
              + " answered its default: " + se.getMessage());
        }
        return Future.succeededFuture(spec.unavailableReply(args));
      }
      return Future.failedFuture(se);
    }).andThen(ar -> observer.completed(spec, args, System.nanoTime() - start,
        ar.failed() ? CachexError.of(ar.cause()) : null, ar.result()));
  }

  // ---- batches ----

  /** One operation of a batch, as far as it got before anything was sent. */
  private static final class Slot {
    /** The action as the operation names it (also when unknown), for messages. */
    String action = "pipeline";
    ActionSpec spec;
    Object[] args;
    JsonObject body;
    Plan<?> plan;
    Throwable failure;
    final long start = System.nanoTime();
  }

  /**
   * Runs the operations of a pipeline in order. Each is checked and planned exactly as it would be
   * alone (plus: whether it may run in a batch); one that fails there gets an error slot. A
   * transaction is refused as a whole, with nothing sent, when any operation fails there.
   */
  Future<JsonArray> batch(OpContext ctx, JsonArray operations, boolean transaction) {
    Planners batchPlanners = new Planners(ctx, this);
    List<Slot> slots = new ArrayList<>(operations.size());
    for (int i = 0; i < operations.size(); i++) {
      slots.add(plan(batchPlanners, operations.getValue(i), i, transaction));
    }
    if (transaction) {
      Future<Void> refused = refuseTransaction(slots);
      if (refused != null) {
        return refused.map(v -> null);
      }
    }
    List<Plan<?>> plans = new ArrayList<>(slots.size());
    slots.forEach(s -> plans.add(s.plan));
    return dispatcher.resolve(plans.stream().filter(p -> p != null).toList()).compose(resolved -> {
      int r = 0;
      for (Slot s : slots) {
        if (s.plan != null) {
          AsyncResult<Plan<?>> ar = resolved.get(r++);
          s.plan = ar.succeeded() ? ar.result() : null;
          s.failure = ar.failed() ? ar.cause() : null;
        }
      }
      if (!transaction) {
        List<Plan<?>> ready = new ArrayList<>(slots.size());
        slots.forEach(s -> ready.add(s.plan));
        return dispatcher.pipeline(ready).map(results -> replies(slots, results));
      }
      Future<Void> refused = refuseTransaction(slots);
      if (refused != null) {
        return refused.map(v -> null);
      }
      List<Plan<?>> ready = new ArrayList<>(slots.size());
      slots.forEach(s -> ready.add(s.plan));
      return dispatcher.transaction(ready, config.redis.commandTimeoutMs).map(results -> replies(slots, results));
    });
  }

  private Slot plan(Planners on, Object entry, int index, boolean transaction) {
    Slot s = new Slot();
    try {
      if (!(entry instanceof JsonObject)) {
        throw OperationException.invalid("operation #" + index + " must be an object {\"action\": name, \"args\": {fields}}");
      }
      JsonObject e = (JsonObject) entry;
      for (String field : e.fieldNames()) {
        if (!Slots.ACTION.equals(field) && !Slots.ARGS.equals(field)) {
          throw OperationException.invalid("operation #" + index + " has an unknown field '" + field + "' (only 'action' and 'args')");
        }
      }
      Object action = e.getValue(Slots.ACTION);
      if (!(action instanceof String)) {
        throw OperationException.invalid("operation #" + index + " has no 'action' string");
      }
      s.action = (String) action;
      s.spec = actions.require(s.action);
      Object args = e.getValue(Slots.ARGS);
      if (args != null && !(args instanceof JsonObject)) {
        throw OperationException.invalid("operation #" + index + ": 'args' must be a JSON object of fields");
      }
      s.body = args == null ? new JsonObject() : (JsonObject) args;
      Action.Batch where = s.spec.traits().batch();
      if (where == Action.Batch.NONE) {
        throw new OperationException(CachexError.NOT_SUPPORTED, "'" + s.spec.name() + "' cannot run inside a pipeline; call it on its own");
      }
      if (transaction && where == Action.Batch.PIPELINE) {
        throw new OperationException(CachexError.NOT_SUPPORTED,
            "'" + s.spec.name() + "' needs several round trips and cannot run inside a transaction");
      }
      s.args = s.spec.decodeArgs(s.body, config.limits.maxItemsPerCall);
      s.plan = binding.plan(s.spec, on, s.args);
    } catch (RuntimeException e) {
      s.failure = e;
      s.plan = null;
    }
    return s;
  }

  /** The refusal of a transaction naming the first operation that cannot be part of it; null when all can. */
  private Future<Void> refuseTransaction(List<Slot> slots) {
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      if (s.failure != null) {
        String action = s.action;
        ServiceException se = RedisFailures.translate(action, s.args != null ? s.spec.keyOf(s.args) : null, s.failure);
        String code = Slots.codeOf(se);
        return Future.failedFuture(new ServiceException(se.failureCode(), code + " pipeline: transaction refused, nothing was written: operation #"
            + i + " (" + action + ") failed: " + se.getMessage(), new JsonObject().put("code", code).put("op", "pipeline")));
      }
    }
    return null;
  }

  /** One slot per operation: its result, or the failure it would have had alone. */
  private JsonArray replies(List<Slot> slots, List<AsyncResult<Object>> results) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      AsyncResult<Object> r = results.get(i);
      Future<Object> outcome;
      if (s.failure != null || r == null) {
        outcome = Future.failedFuture(s.failure != null ? s.failure : new OperationException(CachexError.INTERNAL, "operation #" + i + " did not run"));
      } else {
        outcome = r.succeeded() ? Future.succeededFuture(s.spec.encodeResult(r.result())) : Future.failedFuture(r.cause());
      }
      if (s.spec == null) {
        out.add(Slots.error(refused(s.action, s.failure)));
        continue;
      }
      Future<Object> settled = settle(s.spec, s.args, s.body, s.start, outcome);
      // settle completes at once here: outcome is already complete
      out.add(settled.succeeded() ? Slots.ok(settled.result()) : Slots.error((ServiceException) settled.cause()));
    }
    return out;
  }
}
