package io.cachex.examples;

import io.cachex.service.support.CachexFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class HttpResponseCacheExampleTest {
  static CachexFixture fx;
  static HttpServer server;
  static HttpClient client;

  @BeforeAll
  static void start(Vertx vertx) {
    fx = CachexFixture.deploy(vertx);
    server = HttpResponseCacheExample.start(vertx, fx.cache, 0).await();
    // a fresh connection per request: a reused keep-alive connection is one less thing that can stall a test
    client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(false), new PoolOptions().setHttp1MaxSize(20));
  }

  @AfterAll
  static void stop() {
    client.close().await();
    server.close().await();
    fx.undeploy();
  }

  record Reply(int status, String xCache, String body, long millis) {
  }

  static Future<Reply> request(HttpMethod method, String path) {
    long start = System.nanoTime();
    return client.request(method, server.actualPort(), "127.0.0.1", path)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> new Reply(resp.statusCode(), header(resp), body.toString(),
            (System.nanoTime() - start) / 1_000_000)))
        .timeout(20, java.util.concurrent.TimeUnit.SECONDS); // a stuck request fails the test instead of hanging it
  }

  static String header(HttpClientResponse resp) {
    return resp.getHeader("X-Cache");
  }

  @Test
  void missThenHitThenInvalidated() {
    int before = HttpResponseCacheExample.COMPUTATIONS.get();
    Reply first = request(HttpMethod.GET, "/report/7").await();
    assertEquals(200, first.status);
    assertEquals("MISS", first.xCache);
    assertTrue(first.millis >= HttpResponseCacheExample.SLOW_MS, "a miss computes the slow report: " + first);

    Reply second = request(HttpMethod.GET, "/report/7").await();
    assertEquals("HIT", second.xCache);
    assertEquals(first.body, second.body);
    assertEquals(before + 1, HttpResponseCacheExample.COMPUTATIONS.get());

    assertEquals(204, request(HttpMethod.DELETE, "/report/7").await().status);
    assertEquals(404, request(HttpMethod.DELETE, "/report/7").await().status);
    Reply third = request(HttpMethod.GET, "/report/7").await();
    assertEquals("MISS", third.xCache);
    assertEquals(before + 2, HttpResponseCacheExample.COMPUTATIONS.get());
  }

  @Test
  void concurrentMissesComputeOnce() {
    int before = HttpResponseCacheExample.COMPUTATIONS.get();
    List<Future<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      replies.add(request(HttpMethod.GET, "/report/stampede"));
    }
    Future.all(replies).await();
    HashSet<String> bodies = new HashSet<>();
    List<String> xCache = new ArrayList<>();
    for (Future<Reply> r : replies) {
      assertEquals(200, r.result().status);
      bodies.add(r.result().body);
      xCache.add(r.result().xCache);
    }
    assertEquals(1, bodies.size(), "every response has the same body: " + bodies);
    assertEquals(1, HttpResponseCacheExample.COMPUTATIONS.get() - before, "single flight under the lock: " + xCache);
    assertEquals(1, xCache.stream().filter("MISS"::equals).count(), xCache.toString());
  }
}
