package io.cachex.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects calls of any {@link CachexService} operation and sends them as <b>one</b> {@code pipeline}
 * message; the service runs them in one Redis round trip.
 * <pre>{@code
 * Pipeline p = cache.pipeline();                 // or Pipeline.of(cache)
 * CachexService batch = p.ops();
 * batch.set("a", 1);
 * Future<Long> n = batch.incr("a");
 * Future<Object> a = batch.get("a");
 * p.execute().await();                           // n -> 2, a -> 2
 * }</pre>
 * {@link #ops()} is a recorder built over the {@link CachexService} interface, so it has every
 * operation of every facet, conveniences included: each call records {@code {action, args}} (args
 * named after the method's parameters) and returns a future that completes, with the result
 * decoded as the single call's would be, when the pipeline has run. A slot that failed fails its
 * future with a {@link ServiceException} carrying the slot's code ({@link CachexError#of}).
 * A pipeline is used once; it is not thread-safe (record from one thread).
 */
public final class Pipeline {
  private final CachexService service;
  private final JsonArray operations = new JsonArray();
  private final List<Recorded> recorded = new ArrayList<>();
  private final CachexService recorder;
  private boolean executed;

  private record Recorded(Promise<Object> promise, Type resultType) {
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
    return execute(null);
  }

  /**
   * Sends the recorded operations in one message. The returned future has the raw result slots;
   * it fails only when the pipeline as a whole fails (transport, or a refused transaction), and
   * then every recorded future fails with the same cause.
   */
  public Future<JsonArray> execute(PipelineOptions options) {
    if (executed) {
      return Future.failedFuture(new IllegalStateException("this pipeline was already executed"));
    }
    executed = true;
    if (recorded.isEmpty()) {
      return Future.succeededFuture(new JsonArray());
    }
    return service.pipeline(operations, options).andThen(ar -> {
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
        JsonObject s = (JsonObject) slot;
        JsonObject error = s.getJsonObject("error");
        if (error != null) {
          r.promise.tryFail(failure(error));
          continue;
        }
        try {
          r.promise.tryComplete(convert(s.getValue("ok"), r.resultType));
        } catch (RuntimeException e) {
          r.promise.tryFail(CachexError.INTERNAL.exception("pipeline", null,
              "operation #" + i + " replied with an unexpected shape: " + e.getMessage()));
        }
      }
    });
  }

  /** The exception a single call would have failed with. */
  static ServiceException failure(JsonObject error) {
    String code = error.getString("code", CachexError.INTERNAL.name());
    int failureCode = error.getInteger("failureCode", CachexError.INTERNAL.code());
    String message = error.getString("message", code);
    return new ServiceException(failureCode, message, new JsonObject().put("code", code));
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
      JsonObject body = new JsonObject();
      java.lang.reflect.Parameter[] params = method.getParameters();
      for (int i = 0; i < params.length; i++) {
        Object v = args[i];
        if (v != null) {
          body.put(params[i].getName(), toJson(v));
        }
      }
      operations.add(new JsonObject().put("action", method.getName()).put("args", body));
      Type resultType = method.getGenericReturnType() instanceof ParameterizedType
          ? ((ParameterizedType) method.getGenericReturnType()).getActualTypeArguments()[0] : Object.class;
      Promise<Object> promise = Promise.promise();
      recorded.add(new Recorded(promise, resultType));
      return promise.future();
    }
  }

  private static Object toJson(Object v) {
    if (v instanceof Collection && !(v instanceof JsonArray)) {
      return new JsonArray(new ArrayList<>((Collection<?>) v));
    }
    if (v instanceof Map) {
      return JsonValues.normalize(v);
    }
    if (v instanceof Enum) {
      return ((Enum<?>) v).name();
    }
    if (v.getClass().isAnnotationPresent(DataObject.class)) {
      try {
        return v.getClass().getMethod("toJson").invoke(v);
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException("cannot convert " + v.getClass().getSimpleName() + " to JSON", e);
      }
    }
    return v;
  }

  /** A slot's JSON result as the declared result type of the method (what the generated proxy would give). */
  static Object convert(Object v, Type type) {
    if (v == null) {
      return null;
    }
    Class<?> raw = type instanceof ParameterizedType ? (Class<?>) ((ParameterizedType) type).getRawType()
        : type instanceof Class ? (Class<?>) type : Object.class;
    if (raw == Object.class) {
      // a single call's top-level integer arrives as Long; inside the results array it may have become
      // an Integer on a cluster hop: give the same type as the single call
      return v instanceof Integer || v instanceof Short || v instanceof Byte ? (Object) ((Number) v).longValue() : v;
    }
    if (raw == Void.class) {
      return null;
    }
    if (raw == Long.class) {
      return ((Number) v).longValue();
    }
    if (raw == Integer.class) {
      return ((Number) v).intValue();
    }
    if (raw == Double.class) {
      return ((Number) v).doubleValue();
    }
    if (raw == Float.class) {
      return ((Number) v).floatValue();
    }
    if (raw == List.class || raw == Set.class) {
      Type element = type instanceof ParameterizedType ? ((ParameterizedType) type).getActualTypeArguments()[0] : Object.class;
      Collection<Object> out = raw == Set.class ? new LinkedHashSet<>() : new ArrayList<>();
      for (Object e : (JsonArray) v) {
        out.add(convert(e, element));
      }
      return out;
    }
    if (raw.isAnnotationPresent(DataObject.class) && v instanceof JsonObject) {
      try {
        return raw.getConstructor(JsonObject.class).newInstance(v);
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException("cannot build " + raw.getSimpleName() + " from " + v, e);
      }
    }
    if (raw.isEnum() && v instanceof String) {
      for (Object c : raw.getEnumConstants()) {
        if (((Enum<?>) c).name().equals(v)) {
          return c;
        }
      }
    }
    return raw.cast(v);
  }
}
