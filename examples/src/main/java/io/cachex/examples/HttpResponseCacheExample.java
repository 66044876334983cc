package io.cachex.examples;

import io.cachex.api.CachexService;
import io.cachex.api.LockOptions;
import io.cachex.api.Locks;
import io.cachex.api.SetOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP response cache with vertx-web: {@code GET /report/:id} answers from the cache through the
 * {@link CachexService} proxy ({@code X-Cache: HIT}); on a miss it computes the slow report once,
 * stores it with a timeout and sends it ({@code X-Cache: MISS}). {@code DELETE /report/:id}
 * invalidates. Concurrent misses of one report do not stampede: the computation runs under a lock
 * lease ({@link Locks#withLock}), and whoever waited for the lock finds the report already cached.
 */
public final class HttpResponseCacheExample {
  /** How many reports were really computed (the slow path), for the demo and the test. */
  public static final AtomicInteger COMPUTATIONS = new AtomicInteger();
  static final long SLOW_MS = 200;
  static final double CACHE_SECONDS = 60;

  private HttpResponseCacheExample() {
  }

  public static Router router(Vertx vertx, CachexService cache) {
    Router router = Router.router(vertx);
    router.get("/report/:id").handler(ctx -> getReport(vertx, cache, ctx));
    router.delete("/report/:id").handler(ctx -> cache.delete(key(ctx))
        .onSuccess(existed -> ctx.response().setStatusCode(existed ? 204 : 404).end())
        .onFailure(ctx::fail));
    return router;
  }

  private static String key(RoutingContext ctx) {
    return "report:" + ctx.pathParam("id");
  }

  private static void getReport(Vertx vertx, CachexService cache, RoutingContext ctx) {
    String key = key(ctx);
    cache.get(key)
        .compose(cached -> cached != null ? Future.succeededFuture(new Answer("HIT", cached))
            // a miss: one request computes, the others wait for the lock and then read the cache
            : Locks.withLock(cache, "lock:" + key, new LockOptions().setTimeout(10).setBlockingTimeout(10),
                () -> cache.get(key).compose(again -> again != null ? Future.succeededFuture(new Answer("HIT", again))
                    : computeReport(vertx, ctx.pathParam("id"))
                        .compose(report -> cache.set(key, report, SetOptions.timeout(CACHE_SECONDS))
                            .map(stored -> new Answer("MISS", report))))))
        .onSuccess(answer -> ctx.response()
            .putHeader("X-Cache", answer.cache)
            .putHeader("Content-Type", "application/json")
            .end(((JsonObject) answer.report).encode()))
        .onFailure(ctx::fail);
  }

  private record Answer(String cache, Object report) {
  }

  /** The expensive part: a slow query, simulated by a timer. */
  private static Future<JsonObject> computeReport(Vertx vertx, String id) {
    COMPUTATIONS.incrementAndGet();
    return vertx.timer(SLOW_MS).map(t -> new JsonObject()
        .put("id", id)
        .put("generatedAt", System.currentTimeMillis())
        .put("total", Math.abs(id.hashCode() % 1000)));
  }

  public static Future<HttpServer> start(Vertx vertx, CachexService cache, int port) {
    return vertx.createHttpServer().requestHandler(router(vertx, cache)).listen(port, "127.0.0.1");
  }

  public static void main(String[] args) throws InterruptedException {
    ExampleSupport example = ExampleSupport.start();
    CachexService cache = example.newNode("examples");
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
    HttpServer server = start(example.vertx(0), cache, port).await();
    String url = "http://127.0.0.1:" + server.actualPort() + "/report/42";
    System.out.println("serving: curl -i " + url + "   (again: X-Cache: HIT; curl -X DELETE " + url + " invalidates)");
    System.out.println("Ctrl-C to stop");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      example.close();
      stopped.countDown();
    }));
    stopped.await();
  }
}
