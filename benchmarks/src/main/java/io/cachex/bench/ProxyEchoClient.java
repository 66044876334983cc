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
  private final Vertx vertx = Vertx.vertx();
  private final String address = "echo-" + UUID.randomUUID();
  private final Context context;
  private final CachexService proxy;

  public ProxyEchoClient() throws Exception {
    CachexClient.await(vertx.deployVerticle(new EchoVerticle(address)), 30);
    context = vertx.getOrCreateContext();
    proxy = CachexService.createProxy(vertx, address);
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
              default: return Future.failedFuture("echo answers get and set only");
            }
          });
      new ServiceBinder(vertx).setAddress(address).register(CachexService.class, echo);
    }
  }

  @Override
  public String name() {
    return "proxy-echo";
  }

  @Override
  public String describe() {
    return "generated proxy on the local event bus to a service that answers get/set at once, without Redis (the event-bus ceiling)";
  }

  @Override
  public Driver.Issuer issuer() {
    return task -> context.runOnContext(v -> task.run());
  }

  @Override
  public Driver.Op prepare(Workload w) throws Exception {
    JsonArray boxed = new JsonArray().add(Workload.value(w.valueSize, 2));
    switch (w.kind) {
      case GET:
        return (slot, seq, cb) -> proxy.get(Workload.readKey(w.valueSize, Workload.readIndex(slot, seq)), null)
            .onComplete(ar -> cb.done(ar.cause()));
      case SET:
        return (slot, seq, cb) -> proxy.set(Workload.writeKey(w.valueSize, slot, seq), null, boxed)
            .onComplete(ar -> cb.done(ar.cause()));
      default:
        throw new Skip("the echo service answers get and set only");
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
