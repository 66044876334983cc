package io.cachex.service.ops;

import io.cachex.api.CachexError;
import io.cachex.api.PipelineOptions;
import io.cachex.service.redis.CommandSender;
import io.cachex.service.redis.OperationException;
import io.cachex.service.redis.RedisFailures;
import io.cachex.service.validation.OperationCatalog;
import io.cachex.service.validation.OperationCatalog.Operation;
import io.cachex.service.validation.OperationCatalog.Param;
import io.cachex.service.validation.RequestValidator;
import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.vertx.serviceproxy.ServiceException;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pipeline call, with no code per operation. Every operation is validated against the
 * {@link OperationCatalog} exactly as a single message would be, its fields are turned into the
 * Java parameters of its method, and the method runs on a service whose {@link Ops} sends through
 * this recorder: commands are collected, not sent. Then everything recorded goes to Redis in one
 * round trip (one pipelined connection, or MULTI/.../EXEC on a dedicated one) and each reply is
 * handed back to the operation that recorded it, which decodes it exactly as the single call does.
 * <p>
 * An operation that needs a second round trip (getOrSet's write after its read, clear's SCAN loop)
 * shows itself by sending after the flush: outside a transaction that command simply goes out as a
 * further round trip; inside one it is refused with NOT_SUPPORTED, since it could not be part of EXEC.
 * <p>
 * Inside a pipeline writes without a timeout get no expiry ({@link Ops#defaultExpiry} is
 * {@link Expiry#NEVER} on the recording Ops), as in the reference's pipeline.
 */
final class PipelineRun implements CommandSender {
  private static final OperationCatalog CATALOG = OperationCatalog.get();

  private record Recorded(Request request, Promise<Response> reply) {
  }

  private final Ops base;
  private final boolean transaction;
  private final List<Recorded> recorded = new ArrayList<>();
  private boolean flushed;

  private PipelineRun(Ops base, boolean transaction) {
    this.base = base;
    this.transaction = transaction;
  }

  static Future<JsonArray> run(Ops base, JsonArray operations, PipelineOptions options) {
    JsonObject o = options == null ? null : options.toJson();
    boolean transaction = Ops.flag(o, "transaction");
    Integer version = Ops.intOption(o, "version");
    if (operations == null) {
      throw new IllegalArgumentException("missing field 'operations' (a JSON array)");
    }
    PipelineRun run = new PipelineRun(base, transaction);
    Ops recording = base.withSender(run, Expiry.NEVER, base.version(version));
    CachexServiceImpl service = new CachexServiceImpl(recording);

    List<String> actions = new ArrayList<>(operations.size());
    List<Future<Object>> results = new ArrayList<>(operations.size());
    for (int i = 0; i < operations.size(); i++) {
      Object entry = operations.getValue(i);
      String action = entry instanceof JsonObject && ((JsonObject) entry).getValue("action") instanceof String
          ? ((JsonObject) entry).getString("action") : "pipeline";
      actions.add(action);
      results.add(invoke(service, i, entry));
    }

    if (transaction) {
      // a transaction is all or nothing: refuse it before anything is sent when an operation is invalid
      for (int i = 0; i < results.size(); i++) {
        Future<Object> r = results.get(i);
        if (r.failed()) {
          ServiceException se = RedisFailures.translate(actions.get(i), null, r.cause());
          String code = codeOf(se);
          return Future.failedFuture(new ServiceException(se.failureCode(), code + " pipeline: transaction refused, nothing was written: operation #"
              + i + " (" + actions.get(i) + ") failed: " + se.getMessage(), new JsonObject().put("code", code).put("op", "pipeline")));
        }
      }
    }

    Future<Void> flushed = run.flush();
    return flushed.compose(v -> Future.join(results).transform(ignored -> {
      JsonArray slots = new JsonArray();
      for (int i = 0; i < results.size(); i++) {
        Future<Object> r = results.get(i);
        slots.add(r.succeeded() ? new JsonObject().put("ok", toWire(r.result())) : errorSlot(actions.get(i), r.cause()));
      }
      return Future.succeededFuture(slots);
    }));
  }

  /** Validates one operation and runs its method on the recording service; never throws. */
  @SuppressWarnings("unchecked")
  private static Future<Object> invoke(CachexServiceImpl service, int index, Object entry) {
    if (!(entry instanceof JsonObject)) {
      return CachexError.INVALID_ARGUMENT.fail("pipeline", null,
          "operation #" + index + " must be an object {\"action\": name, \"args\": {fields}}");
    }
    JsonObject e = (JsonObject) entry;
    Object a = e.getValue("action");
    if (!(a instanceof String) || ((String) a).isEmpty()) {
      return CachexError.INVALID_ARGUMENT.fail("pipeline", null, "operation #" + index + " has no 'action' string");
    }
    String action = (String) a;
    Object rawArgs = e.getValue("args");
    if (rawArgs != null && !(rawArgs instanceof JsonObject)) {
      return CachexError.INVALID_ARGUMENT.fail(action, null, "operation #" + index + ": 'args' must be a JSON object of fields");
    }
    JsonObject args = rawArgs == null ? new JsonObject() : ((JsonObject) rawArgs).copy();
    Object k = args.getValue("key");
    String key = k instanceof String ? (String) k : null;
    Operation op = CATALOG.find(action);
    if (op == null) {
      return CachexError.INVALID_ARGUMENT.fail(action, null, "unknown action '" + action + "' (see docs/PROTOCOL.md)");
    }
    if (action.equals("pipeline")) {
      return CachexError.INVALID_ARGUMENT.fail(action, null, "pipelines do not nest");
    }
    RequestValidator.Problem problem = RequestValidator.problem(op, args, service.ops().config.limits.maxItemsPerCall);
    if (problem != null) {
      return problem.code().fail(action, key, problem.detail());
    }
    try {
      List<Param> params = op.params();
      Object[] values = new Object[params.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = parameter(params.get(i), args.getValue(params.get(i).name()));
      }
      return (Future<Object>) op.method().invoke(service, values);
    } catch (InvocationTargetException ex) {
      return Future.failedFuture(RedisFailures.translate(action, key, ex.getCause()));
    } catch (ReflectiveOperationException | RuntimeException ex) {
      return Future.failedFuture(RedisFailures.translate(action, key, ex));
    }
  }

  /** A validated JSON field as the Java parameter the method takes (what the generated handler does). */
  private static Object parameter(Param p, Object v) throws ReflectiveOperationException {
    if (v == null) {
      return null;
    }
    switch (p.kind()) {
      case INTEGER:
        return p.type() == Integer.class || p.type() == int.class ? (Object) ((Number) v).intValue() : (Object) ((Number) v).longValue();
      case NUMBER:
        return p.type() == Float.class ? (Object) ((Number) v).floatValue() : (Object) ((Number) v).doubleValue();
      case STRING_ARRAY: {
        Collection<String> out = Set.class.isAssignableFrom(p.type()) ? new LinkedHashSet<>() : new ArrayList<>();
        for (Object s : (JsonArray) v) {
          out.add((String) s);
        }
        return out;
      }
      case OPTIONS:
        return p.type().getConstructor(JsonObject.class).newInstance(v);
      default:
        return v;
    }
  }

  /** A result as the JSON the generated handler would reply with. */
  private static Object toWire(Object r) {
    if (r == null || r instanceof JsonObject || r instanceof JsonArray) {
      return r;
    }
    if (r instanceof Collection) {
      JsonArray out = new JsonArray();
      ((Collection<?>) r).forEach(v -> out.add(toWire(v)));
      return out;
    }
    if (r instanceof Map) {
      JsonObject out = new JsonObject();
      ((Map<?, ?>) r).forEach((k, v) -> out.put(String.valueOf(k), toWire(v)));
      return out;
    }
    if (r instanceof Enum) {
      return ((Enum<?>) r).name();
    }
    if (r.getClass().isAnnotationPresent(DataObject.class)) {
      try {
        return r.getClass().getMethod("toJson").invoke(r);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot convert " + r.getClass().getSimpleName() + " to JSON", e);
      }
    }
    return r;
  }

  private static JsonObject errorSlot(String action, Throwable failure) {
    ServiceException se = RedisFailures.translate(action, null, failure);
    return new JsonObject().put("error", new JsonObject()
        .put("code", codeOf(se))
        .put("failureCode", se.failureCode())
        .put("message", se.getMessage()));
  }

  private static String codeOf(ServiceException se) {
    JsonObject debug = se.getDebugInfo();
    if (debug != null && debug.getString("code") != null) {
      return debug.getString("code");
    }
    CachexError e = CachexError.of(se);
    return e == null ? CachexError.INTERNAL.name() : e.name();
  }

  // ---- the recorder ----

  @Override
  public Future<Response> send(Request request) {
    if (!flushed) {
      Promise<Response> reply = Promise.promise();
      recorded.add(new Recorded(request, reply));
      return reply.future();
    }
    if (transaction) {
      return Future.failedFuture(new OperationException(CachexError.NOT_SUPPORTED,
          "needs more than one round trip to Valkey/Redis, which a transaction cannot hold; run it outside the transaction"));
    }
    return base.sender.send(request);
  }

  /** Sends everything recorded in one round trip; fails only when a transaction fails as a whole. */
  private Future<Void> flush() {
    flushed = true;
    if (recorded.isEmpty()) {
      return Future.succeededFuture();
    }
    if (!transaction) {
      // back to back on one pipelined connection, each command with its own reply: unlike batch(),
      // one failing command fails only its own slot
      List<Request> requests = new ArrayList<>(recorded.size());
      recorded.forEach(r -> requests.add(r.request));
      List<Future<Response>> replies = base.redis.sendAll(requests);
      for (int i = 0; i < replies.size(); i++) {
        replies.get(i).onComplete(recorded.get(i).reply);
      }
      return Future.succeededFuture();
    }
    Future<Void> done = base.redis.withDedicatedConnection(this::exec, base.config.redis.commandTimeoutMs);
    return done.onFailure(err -> recorded.forEach(r -> r.reply.tryFail(err)));
  }

  /** MULTI, the commands, EXEC written back to back; EXEC's array reply goes back slot by slot. */
  private Future<Void> exec(RedisConnection c) {
    Future<Response> multi = c.send(Request.cmd(Command.MULTI));
    List<Future<Response>> queued = new ArrayList<>(recorded.size());
    for (Recorded r : recorded) {
      queued.add(c.send(r.request));
    }
    Future<Response> exec = c.send(Request.cmd(Command.EXEC));
    return Future.join(multi, Future.join(queued), exec).transform(ignored -> {
      if (multi.failed()) {
        return Future.failedFuture(multi.cause());
      }
      for (Future<Response> q : queued) {
        if (q.failed()) {
          // refused while queueing (e.g. CROSSSLOT): Redis discarded the whole transaction (EXECABORT)
          ServiceException se = RedisFailures.translate("pipeline", null, q.cause());
          String code = codeOf(se);
          return Future.failedFuture(new ServiceException(se.failureCode(), code
              + " pipeline: transaction discarded by Valkey/Redis, nothing was written: " + se.getMessage(),
              new JsonObject().put("code", code).put("op", "pipeline")));
        }
      }
      if (exec.failed()) {
        return Future.failedFuture(exec.cause());
      }
      Response replies = exec.result();
      if (replies == null || replies.size() != recorded.size()) {
        return Future.failedFuture(new OperationException(CachexError.INTERNAL,
            "EXEC replied " + replies + " for " + recorded.size() + " commands"));
      }
      for (int i = 0; i < recorded.size(); i++) {
        Response r = replies.get(i);
        if (r != null && r.type() == ResponseType.ERROR) {
          recorded.get(i).reply.tryFail(r instanceof Throwable ? (Throwable) r
              : new OperationException(CachexError.INTERNAL, "Valkey/Redis replied with an error: " + r));
        } else {
          recorded.get(i).reply.tryComplete(r);
        }
      }
      return Future.succeededFuture();
    });
  }
}
