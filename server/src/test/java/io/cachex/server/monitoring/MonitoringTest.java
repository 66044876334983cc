package io.cachex.server.monitoring;

import io.cachex.api.CachexError;
import io.cachex.service.support.CachexFixture;
import io.cachex.service.support.SharedRedis;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics and /health as an operator's scraper sees them, on a node built the way the launcher builds it. */
class MonitoringTest {
  static Vertx vertx;
  static CachexFixture fx;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    JsonObject monitoring = new JsonObject();
    vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(Monitoring.metricsOptions()))
        .withMetrics(Monitoring.factory(true)).build();
    fx = CachexFixture.deploy(vertx, new JsonObject().put("redis", new JsonObject().put("password", "not-a-real-secret-xyz")
        .put("endpoints", new JsonArray().add(SharedRedis.get().uri()))));
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    JsonObject config = new JsonObject().put("monitoring", monitoring.put("port", port))
        .put("redis", new JsonObject().put("endpoints", new JsonArray().add(SharedRedis.get().uri())));
    vertx.deployVerticle(MonitoringVerticle.class, new DeploymentOptions().setConfig(config)).await();
  }

  @AfterAll
  static void stop() {
    fx.undeploy();
    vertx.close().await();
  }

  static HttpResponse<String> http(String path) throws Exception {
    return get("http://127.0.0.1:" + port + path);
  }

  /** A plain HTTP/1.1 GET (no h2c upgrade attempt), as a scraper or a kubelet probe sends it. */
  static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsFollowMicrometersCacheConventions() throws Exception {
    fx.cache.get("m-missing").await();
    fx.cache.set("m-key", "v").await();
    fx.cache.get("m-key").await();
    fx.cache.getMany(java.util.List.of("m-key", "m-missing", "m-missing-too")).await();
    fx.cache.add("m-key", "not written").await();
    fx.cache.add("m-added", "written").await();
    CachexFixture.assertFails(CachexError.WRONG_TYPE, fx.cache.incr("m-key"));
    String cache = "cache=\"" + fx.address + "\"";
    String body = metrics();
    assertMetric(body, "cache_gets_total{" + cache + ",result=\"hit\"}", 2);
    assertMetric(body, "cache_gets_total{" + cache + ",result=\"miss\"}", 3);
    assertMetric(body, "cache_puts_total{" + cache + "}", 2);
    assertMetric(body, "cachex_operations_seconds_count{" + cache + ",op=\"get\",outcome=\"ok\"}", 2);
    assertMetric(body, "cachex_operations_seconds_count{" + cache + ",op=\"incr\",outcome=\"WRONG_TYPE\"}", 1);
    assertMetric(body, "cachex_errors_total{" + cache + ",code=\"WRONG_TYPE\"}", 1);
    assertTrue(body.contains("vertx_eventbus"), "Vert.x's own metrics are exposed too");
    assertTrue(!body.contains("not-a-real-secret-xyz"), "no secret in metrics");
  }

  @Test
  void requestsRefusedBeforeTheyNameAnActionAreCountedAsErrors() throws Exception {
    Throwable refused = vertx.eventBus().request(fx.address, new JsonObject(),
        new io.vertx.core.eventbus.DeliveryOptions().addHeader("action", "noSuchAction"))
        .map(m -> (Throwable) null).otherwise(e -> e).await();
    assertTrue(refused instanceof io.vertx.core.eventbus.ReplyException, String.valueOf(refused));
    String code = refused.getMessage().split(" ", 2)[0];
    assertMetric(metrics(), "cachex_errors_total{cache=\"" + fx.address + "\",code=\"" + code + "\"}", 1);
  }

  static String metrics() throws Exception {
    HttpResponse<String> r = http("/metrics");
    assertEquals(200, r.statusCode());
    return r.body();
  }

  static void assertMetric(String body, String series, double expected) {
    String line = body.lines().filter(l -> l.startsWith(series + " ")).findFirst().orElse(null);
    assertTrue(line != null, series + " missing in:\n" + body);
    assertEquals(expected, Double.parseDouble(line.substring(series.length() + 1).trim()), line);
  }

  @Test
  void healthSaysLiveAndReady() throws Exception {
    HttpResponse<String> r = http("/health");
    assertEquals(200, r.statusCode(), r.body());
    JsonObject health = new JsonObject(r.body());
    assertEquals("UP", health.getString("status"), r.body());
    assertTrue(r.body().contains("\"redis\""), r.body());
    assertTrue(r.body().contains("\"clustered\":false"), r.body());
    assertEquals(200, http("/health/live").statusCode());
    assertEquals(200, http("/health/ready").statusCode());
  }

  @Test
  void notReadyWhileRedisIsUnreachableYetLive() throws Exception {
    int nobody;
    try (ServerSocket s = new ServerSocket(0)) {
      nobody = s.getLocalPort();
    }
    int otherPort;
    try (ServerSocket s = new ServerSocket(0)) {
      otherPort = s.getLocalPort();
    }
    JsonObject config = new JsonObject().put("monitoring", new JsonObject().put("port", otherPort))
        .put("redis", new JsonObject().put("endpoints", new JsonArray().add("redis://127.0.0.1:" + nobody)));
    String id = vertx.deployVerticle(MonitoringVerticle.class, new DeploymentOptions().setConfig(config)).await();
    try {
      HttpResponse<String> ready = get("http://127.0.0.1:" + otherPort + "/health/ready");
      assertEquals(503, ready.statusCode(), ready.body());
      HttpResponse<String> live = get("http://127.0.0.1:" + otherPort + "/health/live");
      assertEquals(200, live.statusCode(), live.body());
    } finally {
      vertx.undeploy(id).await();
    }
  }
}
