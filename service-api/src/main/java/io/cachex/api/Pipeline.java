package io.cachex.api;

import io.cachex.api.contract.ActionSpec;
import io.cachex.api.contract.Actions;
import io.cachex.api.contract.Slots;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects calls of any {@link CachexService} operation and sends them as <b>one</b> {@code pipeline}
 * message; the service runs them in order, in as few Redis round trips as their kinds allow (one,
 * for operations that each need one).
 * <pre>{@code
 * Pipeline p = cache.pipeline();                 // or Pipeline.of(cache)
 * CachexService batch = p.ops();
 * batch.set("a", 1);
 * Future<Long> n = batch.incr("a");
 * Future<Object> a = batch.get("a");
 * p.execute().await();                           // n -> 2, a -> 2
 * }</pre>
 * {@link #ops()} is a recorder built over the {@link CachexService} interface, so it has every
 * operation of every facet, conveniences included: each call records {@code {action, args}} with the
 * wire rules of the contract ({@link ActionSpec}) and returns a future that completes, with the
 * result decoded as the single call's would be, when the pipeline has run. A slot that failed fails
 * its future with a {@link ServiceException} carrying the slot's code ({@link CachexError#of}).
 * A pipeline is used once; it is not thread-safe (record from one thread).
 */
public final class Pipeline {
  private final CachexService service;
  private final JsonArray operations = new JsonArray();
  private final List<Recorded> recorded = new ArrayList<>();
  private final CachexService recorder;
  private boolean executed;

  private record Recorded(Promise<Object> promise, ActionSpec spec) {
  }

  private Pipeline(CachexService service) {
    this.service = service;
    this.recorder = (CachexService) Proxy.newProxyInstance(CachexService.class.getClassLoader(),
        new Class<?>[]{CachexService.class}, new Recorder());
  }

  /** A pipeline sent through {@code service} (the event-bus proxy, or the service itself in-process). */
  public static Pipeline of(CachexService service) {
    if (service == null) {
      throw new IllegalArgumentException("service must not be null");
    }
    return new Pipeline(service);
  }

  /** The recorder: call operations on it to add them to this pipeline. */
  public CachexService ops() {
    return recorder;
  }

  /** Operations recorded so far. */
  public int size() {
    return recorded.size();
  }

  /** The {@code operations} array the pipeline will send (for logging or for bridge clients). */
  public JsonArray operations() {
    return operations.copy();
  }

  public Future<JsonArray> execute() {
    return execute(null, null);
  }

  public Future<JsonArray> execute(PipelineOptions options) {
    return execute(options, null);
  }

  /**
   * Sends the recorded operations in one message. The returned future has the raw result slots;
   * it fails only when the pipeline as a whole fails (transport, or a refused transaction), and
   * then every recorded future fails with the same cause. {@code version} is the version of every
   * recorded operation that names none.
   */
  public Future<JsonArray> execute(PipelineOptions options, Integer version) {
    if (executed) {
      return Future.failedFuture(new IllegalStateException("this pipeline was already executed"));
    }
    executed = true;
    if (recorded.isEmpty()) {
      return Future.succeededFuture(new JsonArray());
    }
    return service.pipeline(operations, options, version).andThen(ar -> {
      if (ar.failed()) {
        recorded.forEach(r -> r.promise.tryFail(ar.cause()));
        return;
      }
      JsonArray slots = ar.result();
      for (int i = 0; i < recorded.size(); i++) {
        Recorded r = recorded.get(i);
        Object slot = slots != null && i < slots.size() ? slots.getValue(i) : null;
        if (!(slot instanceof JsonObject)) {
          r.promise.tryFail(CachexError.INTERNAL.exception("pipeline", null, "no result for operation #" + i));
          continue;
        }
        ServiceException failure = Slots.failure((JsonObject) slot);
        if (failure != null) {
          r.promise.tryFail(failure);
          continue;
        }
        try {
          r.promise.tryComplete(r.spec.decodeResult(((JsonObject) slot).getValue("ok")));
        } catch (RuntimeException e) {
          r.promise.tryFail(CachexError.INTERNAL.exception("pipeline", null,
              "operation #" + i + " replied with an unexpected shape: " + e.getMessage()));
        }
      }
    });
  }

  private final class Recorder implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        switch (method.getName()) {
          case "equals": return proxy == args[0];
          case "hashCode": return System.identityHashCode(proxy);
          default: return "Pipeline.ops(" + recorded.size() + " operations)";
        }
      }
      if (method.getName().equals("pipeline")) {
        throw new IllegalStateException("pipelines do not nest: call execute() on the outer pipeline");
      }
      if (method.isDefault()) {
        // Java conveniences run here and call a proxied method of this recorder
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      if (executed) {
        throw new IllegalStateException("this pipeline was already executed");
      }
      ActionSpec spec = Actions.cachex().require(method.getName());
      operations.add(Slots.operation(spec.name(), spec.encodeArgs(args)));
      Promise<Object> promise = Promise.promise();
      recorded.add(new Recorded(promise, spec));
      return promise.future();
    }
  }
}
