package io.cachex.bench;

import io.cachex.api.CachexService;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.serviceproxy.ServiceBinder;

import java.lang.reflect.Proxy;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The generated proxy and the local event bus with NO Redis behind them: a verticle bound with
 * {@link ServiceBinder} whose {@code get} answers a constant and {@code set} answers null at once.
 * Not a competitor but a yardstick: it is the most any service behind a Vert.x 5 service proxy can do
 * on this machine (proxy encoding, request/reply registration, two event-loop hand-offs), so it
 * separates what the event bus costs from what cachex adds on top.
 */
public final class ProxyEchoClient implements BenchClient {
  private final String name;
  private final Vertx serviceVertx;
  private final Vertx callerVertx;
  private final String address = "echo-" + UUID.randomUUID();
  private final Context context;
  private final CachexService proxy;

  private final boolean coalescing;

  private ProxyEchoClient(String name, Vertx serviceVertx, Vertx callerVertx, boolean coalescing) throws Exception {
    this.name = name;
    this.coalescing = coalescing;
    this.serviceVertx = serviceVertx;
    this.callerVertx = callerVertx;
    CachexClient.await(serviceVertx.deployVerticle(new EchoVerticle(address)), 30);
    context = callerVertx.getOrCreateContext();
    proxy = coalescing ? CachexService.createCoalescingProxy(callerVertx, address) : CachexService.createProxy(callerVertx, address);
    CachexClient.awaitFirstAnswer(name, proxy);
  }

  /** Caller and echo service in one Vert.x (the local event bus). */
  public static ProxyEchoClient local(boolean coalescing) throws Exception {
    Vertx vertx = Vertx.vertx();
    return new ProxyEchoClient(coalescing ? "coalescing-echo" : "proxy-echo", vertx, vertx, coalescing);
  }

  /** Caller and echo service on two Hazelcast members of one JVM, as cachex-clustered. */
  public static ProxyEchoClient clustered(int hazelcastPort, boolean coalescing) throws Exception {
    Vertx[] nodes = CachexClient.twoClusteredNodes(hazelcastPort);
    return new ProxyEchoClient(coalescing ? "coalescing-echo-clustered" : "proxy-echo-clustered", nodes[0], nodes[1], coalescing);
  }

  /** Binds a CachexService whose get/set complete immediately; every other action fails. */
  static final class EchoVerticle extends AbstractVerticle {
    private final String address;

    EchoVerticle(String address) {
      this.address = address;
    }

    @Override
    public void start() {
      Future<Object> value = Future.succeededFuture(Workload.value(100, 1));
      Future<Object> none = Future.succeededFuture();
      CachexService echo = (CachexService) Proxy.newProxyInstance(CachexService.class.getClassLoader(),
          new Class<?>[] {CachexService.class}, (self, method, args) -> {
            switch (method.getName()) {
              case "get": return value;
              case "set": return none;
              case "batch": {
                // what the coalescing proxy sends: one slot per get/set, answered at once
                JsonArray slots = new JsonArray();
                for (Object op : (JsonArray) args[0]) {
                  slots.add(new io.vertx.core.json.JsonObject().put("ok",
                      "get".equals(((io.vertx.core.json.JsonObject) op).getString("action")) ? value.result() : null));
                }
                return Future.succeededFuture(slots);
              }
              default: return Future.failedFuture("echo answers get and set only");
            }
          });
      new ServiceBinder(vertx).setAddress(address).register(CachexService.class, echo);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String describe() {
    return (coalescing ? "coalescing proxy " : "generated proxy ") + (serviceVertx == callerVertx ? "on the local event bus" : "across a two-member Hazelcast bus (loopback)")
        + " to a service that answers get/set at once, without Redis (the event-bus ceiling)";
  }

  @Override
  public Driver.Issuer issuer() {
    return task -> context.runOnContext(v -> task.run());
  }

  @Override
  public Driver.Op prepare(Workload w) throws Exception {
    if (w.valueSize != 100 || (w.kind != Workload.Kind.GET && w.kind != Workload.Kind.SET)) {
      throw new Skip("the yardstick runs the get and set 100 B cells only");
    }
    JsonArray boxed = new JsonArray().add(Workload.value(w.valueSize, 2));
    switch (w.kind) {
      case GET:
        return (slot, seq, cb) -> proxy.get(Workload.readKey(w.valueSize, Workload.readIndex(slot, seq)), null, null)
            .onComplete(ar -> cb.done(ar.cause()));
      case SET:
        return (slot, seq, cb) -> proxy.set(Workload.writeKey(w.valueSize, slot, seq), null, null, boxed)
            .onComplete(ar -> cb.done(ar.cause()));
      default:
        throw new Skip("the yardstick runs the get and set 100 B cells only");
    }
  }

  @Override
  public void close() throws Exception {
    if (callerVertx != serviceVertx) {
      callerVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    serviceVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
