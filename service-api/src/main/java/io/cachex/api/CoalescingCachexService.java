package io.cachex.api;

import io.cachex.api.contract.ActionHeader;
import io.cachex.api.contract.ActionSpec;
import io.cachex.api.contract.Actions;
import io.cachex.api.contract.Slots;
import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import io.vertx.serviceproxy.ServiceExceptionMessageCodec;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link CachexService} on the event bus whose calls made concurrently travel together: a call
 * made while an earlier message of this proxy is still awaiting its reply is held, and the calls
 * held meanwhile leave as <b>one</b> {@code batch} message (one Redis round trip in the service)
 * when that reply arrives, or as soon as {@link Options#setMaxBatch maxBatch} of them are waiting.
 * A call made when nothing is in flight leaves at once, as the generated proxy would send it, so
 * a lone caller waits for nothing.
 * <ul>
 *   <li><b>Results and errors</b> are each caller's own: a {@code batch} replies one slot per
 *   operation, and each future completes with exactly the result, or fails with exactly the coded
 *   {@link ServiceException}, that the single call would have had. One failing operation fails
 *   nothing else.</li>
 *   <li><b>Order</b>: calls leave in the order they were made; inside a batch the service runs them
 *   in that order, and a call that is not coalesced first sends the calls held before it.</li>
 *   <li><b>Deadlines</b>: each call fails with a {@link ReplyFailure#TIMEOUT} {@link ReplyException}
 *   when no result arrived within the send timeout of the {@link DeliveryOptions} counted from the
 *   moment <em>it</em> was made, whether it waited to be sent or not.</li>
 *   <li><b>What is coalesced</b> is read from the contract ({@link io.cachex.api.contract.ActionSpec}
 *   traits): actions of one round trip that may run in a transaction and never wait
 *   ({@code @Action(batch = ANY, waits = false)}). Blocking pops, lock, semaphore and compute-once
 *   acquisitions, scans, pipelines and script registration go alone, as the generated proxy sends
 *   them.</li>
 *   <li>Results are delivered on the context of the caller, as with the generated proxy.</li>
 * </ul>
 * One generic path for every action: the proxy is a {@link Proxy} over {@link CachexService} whose
 * methods are encoded and decoded by the contract's wire rules; conveniences ({@code default}
 * methods) run on it and call its actions. Thread-safe.
 */
public final class CoalescingCachexService implements InvocationHandler {
  /** What each contract method does here: its action, and whether it may travel in a batch. */
  private record Route(ActionSpec spec, boolean coalesce) {
  }

  private static final Map<Method, Route> ROUTES;
  private static final ActionSpec BATCH = Actions.cachex().require("batch");

  static {
    Map<Method, Route> routes = new HashMap<>();
    for (Method m : CachexService.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers()) || m.isDefault() || m.isAnnotationPresent(GenIgnore.class)) {
        continue;
      }
      ActionSpec spec = Actions.cachex().require(m.getName());
      routes.put(m, new Route(spec, coalescable(spec)));
    }
    ROUTES = Collections.unmodifiableMap(routes);
  }

  /** Whether calls of this action may travel in a {@code batch} with other calls. */
  public static boolean coalescable(ActionSpec spec) {
    Action t = spec.traits();
    return t.batch() == Action.Batch.ANY && !t.waits();
  }

  /** Settings of a coalescing proxy. */
  public static final class Options {
    private DeliveryOptions delivery = new DeliveryOptions();
    private int maxBatch = 32;
    private int maxInFlight = 1;
    private boolean batchAlone;

    /** Headers and send timeout of every message (and so every call's deadline); the 30 s default. */
    public Options setDelivery(DeliveryOptions delivery) {
      this.delivery = new DeliveryOptions(delivery);
      return this;
    }

    /**
     * The most calls in one message (32): a batch that fills up leaves at once, even while another
     * message is out. Below the number of calls in flight, so that under load two or more messages
     * are out at a time and the caller's and the service's event loops work at the same time,
     * while each message still carries many calls.
     */
    public Options setMaxBatch(int maxBatch) {
      if (maxBatch < 1) {
        throw new IllegalArgumentException("maxBatch must be at least 1");
      }
      this.maxBatch = maxBatch;
      return this;
    }

    /**
     * How many messages of coalesced calls may await their reply before calls are held (1): with 1,
     * calls made while one message is out travel together in the next.
     */
    public Options setMaxInFlight(int maxInFlight) {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be at least 1");
      }
      this.maxInFlight = maxInFlight;
      return this;
    }

    /**
     * Sends a call that leaves alone as a one-operation {@code batch} too, instead of as its own
     * action (off). For tests that run a whole suite through the batch path.
     */
    public Options setBatchAlone(boolean batchAlone) {
      this.batchAlone = batchAlone;
      return this;
    }
  }

  /** One call: its action and body, who waits for it, and until when. */
  private static final class Call {
    final ActionSpec spec;
    final JsonObject body;
    final Promise<Object> promise = Promise.promise();
    final Context context;
    final long deadline;
    volatile boolean done;

    Call(ActionSpec spec, JsonObject body, Context context, long deadline) {
      this.spec = spec;
      this.body = body;
      this.context = context;
      this.deadline = deadline;
    }
  }

  private final Vertx vertx;
  private final EventBus bus;
  private final String address;
  private final DeliveryOptions delivery;
  private final long timeoutMs;
  private final int maxBatch;
  private final int maxInFlight;
  private final boolean batchAlone;
  private final CachexService proxy;

  // guarded by this
  private ArrayList<Call> held = new ArrayList<>();
  private int inFlight;
  /** Held calls by deadline (the order they were made: one timeout for all), until they complete. */
  private final ArrayDeque<Call> deadlines = new ArrayDeque<>();
  private boolean timerSet;

  private CoalescingCachexService(Vertx vertx, String address, Options options) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.address = address;
    this.delivery = new DeliveryOptions(options.delivery);
    this.timeoutMs = delivery.getSendTimeout();
    this.maxBatch = options.maxBatch;
    this.maxInFlight = options.maxInFlight;
    this.batchAlone = options.batchAlone;
    // failures of calls sent alone come back as ServiceException: on a clustered bus this node must know
    // its codec to read them (the generated proxy registers it the same way)
    try {
      bus.registerDefaultCodec(ServiceException.class, new ServiceExceptionMessageCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // registered by another proxy on this Vert.x
    }
    this.proxy = (CachexService) Proxy.newProxyInstance(CachexService.class.getClassLoader(), new Class<?>[]{CachexService.class}, this);
  }

  /** A coalescing proxy to the service on {@code address} (local or clustered bus), default options. */
  public static CachexService create(Vertx vertx, String address) {
    return create(vertx, address, new Options());
  }

  public static CachexService create(Vertx vertx, String address, Options options) {
    return new CoalescingCachexService(vertx, address, options == null ? new Options() : options).proxy;
  }

  @Override
  public Object invoke(Object self, Method method, Object[] args) throws Throwable {
    Route route = ROUTES.get(method);
    if (route != null) {
      return call(route, args);
    }
    if (method.getDeclaringClass() == Object.class) {
      switch (method.getName()) {
        case "equals": return self == args[0];
        case "hashCode": return System.identityHashCode(self);
        default: return "CoalescingCachexService(" + address + ")";
      }
    }
    if (method.isDefault()) {
      // Java conveniences run here and call actions of this proxy
      return InvocationHandler.invokeDefault(self, method, args);
    }
    throw new UnsupportedOperationException(method.toString());
  }

  private Future<Object> call(Route route, Object[] args) {
    JsonObject body = route.spec.encodeArgs(args == null ? new Object[0] : args);
    Call call = new Call(route.spec, body, vertx.getOrCreateContext(), System.currentTimeMillis() + timeoutMs);
    List<Call> batch = null;
    boolean alone = false;
    synchronized (this) {
      if (!route.coalesce) {
        // calls held before this one leave first, so the service sees them in the order they were made
        batch = takeHeld();
        alone = true;
      } else if (inFlight < maxInFlight && held.isEmpty()) {
        inFlight++;
        batch = List.of(call);
      } else {
        held.add(call);
        deadlines.add(call);
        if (held.size() >= maxBatch) {
          batch = takeHeld();
        }
        armTimer();
      }
    }
    if (batch != null) {
      send(batch);
    }
    if (alone) {
      try {
        sendAlone(call, false);
      } catch (RuntimeException e) {
        complete(call, Future.failedFuture(e));
      }
    }
    return call.promise.future();
  }

  /** The calls held so far as one message counted in flight, or null when none is held. */
  private List<Call> takeHeld() {
    if (held.isEmpty()) {
      return null;
    }
    List<Call> batch = held;
    held = new ArrayList<>();
    inFlight++;
    return batch;
  }

  private DeliveryOptions options(String action) {
    DeliveryOptions o = new DeliveryOptions(delivery);
    if (o.getHeaders() == null) {
      return o.addHeader(ActionHeader.NAME, action);
    }
    o.getHeaders().set(ActionHeader.NAME, action);
    return o;
  }

  private void send(List<Call> calls) {
    List<Call> batch = calls;
    for (Call c : calls) {
      if (c.done) {
        // a held call whose deadline passed is not sent any more
        batch = new ArrayList<>(calls.size());
        for (Call live : calls) {
          if (!live.done) {
            batch.add(live);
          }
        }
        break;
      }
    }
    if (batch.isEmpty()) {
      finished();
      return;
    }
    try {
      sendNow(batch);
    } catch (RuntimeException e) {
      // nothing left: every call gets the failure, and the next calls may go
      for (Call c : batch) {
        complete(c, Future.failedFuture(e));
      }
      finished();
    }
  }

  private void sendNow(List<Call> batch) {
    if (batch.size() == 1 && !batchAlone) {
      sendAlone(batch.get(0), true);
      return;
    }
    JsonArray operations = new JsonArray(new ArrayList<>(batch.size()));
    for (Call c : batch) {
      operations.add(Slots.operation(c.spec.name(), c.body));
    }
    bus.<JsonArray>request(address, new JsonObject().put("operations", operations), options(BATCH.name())).onComplete(ar -> {
      if (ar.failed()) {
        for (Call c : batch) {
          complete(c, Future.failedFuture(ar.cause()));
        }
      } else {
        JsonArray slots = ar.result().body();
        for (int i = 0; i < batch.size(); i++) {
          complete(batch.get(i), slot(batch.get(i).spec, slots, i));
        }
      }
      finished();
    });
  }

  private void sendAlone(Call call, boolean counted) {
    bus.request(address, call.body, options(call.spec.name())).onComplete(ar -> {
      if (ar.failed()) {
        complete(call, Future.failedFuture(ar.cause()));
      } else {
        Future<Object> result;
        try {
          result = Future.succeededFuture(call.spec.decodeResult(ar.result().body()));
        } catch (RuntimeException e) {
          result = Future.failedFuture(CachexError.INTERNAL.exception(call.spec.name(), null, "unexpected reply: " + e.getMessage()));
        }
        complete(call, result);
      }
      if (counted) {
        finished();
      }
    });
  }

  /** A call's outcome from its slot of a batch reply. */
  private static Future<Object> slot(ActionSpec spec, JsonArray slots, int i) {
    Object slot = slots != null && i < slots.size() ? slots.getValue(i) : null;
    if (!(slot instanceof JsonObject)) {
      return Future.failedFuture(CachexError.INTERNAL.exception(spec.name(), null, "no result for operation #" + i + " of its batch"));
    }
    ServiceException failure = Slots.failure((JsonObject) slot);
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    try {
      return Future.succeededFuture(spec.decodeResult(((JsonObject) slot).getValue("ok")));
    } catch (RuntimeException e) {
      return Future.failedFuture(CachexError.INTERNAL.exception(spec.name(), null, "unexpected reply: " + e.getMessage()));
    }
  }

  /**
   * A reply of a counted message was handled: the results were delivered first (callers that call
   * again from their callbacks had their calls held), now the calls held leave together.
   */
  private void finished() {
    List<Call> next = null;
    synchronized (this) {
      inFlight--;
      while (!deadlines.isEmpty() && deadlines.peekFirst().done) {
        deadlines.pollFirst();
      }
      if (inFlight < maxInFlight) {
        next = takeHeld();
      }
    }
    if (next != null) {
      send(next);
    }
  }

  /** Delivers an outcome on the caller's context (inline when already there); the first outcome wins. */
  private static void complete(Call call, AsyncResult<Object> outcome) {
    call.done = true;
    if (Vertx.currentContext() == call.context) {
      settle(call.promise, outcome);
    } else {
      call.context.runOnContext(v -> settle(call.promise, outcome));
    }
  }

  private static void settle(Promise<Object> promise, AsyncResult<Object> outcome) {
    if (outcome.failed()) {
      promise.tryFail(outcome.cause()); // no-op when its deadline already failed it
    } else {
      promise.tryComplete(outcome.result());
    }
  }

  // ---- deadlines of held calls: one timer, for the earliest ----

  private void armTimer() {
    if (!timerSet && !deadlines.isEmpty()) {
      timerSet = true;
      long delay = Math.max(1, deadlines.peekFirst().deadline - System.currentTimeMillis());
      vertx.setTimer(delay, id -> expire());
    }
  }

  private void expire() {
    List<Call> expired = new ArrayList<>();
    long now = System.currentTimeMillis();
    synchronized (this) {
      timerSet = false;
      while (!deadlines.isEmpty() && (deadlines.peekFirst().done || deadlines.peekFirst().deadline <= now)) {
        Call c = deadlines.pollFirst();
        if (!c.done) {
          expired.add(c);
        }
      }
      armTimer();
    }
    for (Call c : expired) {
      complete(c, Future.failedFuture(new ReplyException(ReplyFailure.TIMEOUT,
          "Timed out after waiting " + timeoutMs + "(ms) for a reply. address: " + address + ", action: " + c.spec.name())));
    }
  }
}
