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
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsCountOperationsHitsMissesAndErrors() throws Exception {
    fx.cache.get("m-missing").await();
    fx.cache.set("m-key", "v").await();
    fx.cache.get("m-key").await();
    CachexFixture.assertFails(CachexError.WRONG_TYPE, fx.cache.incr("m-key"));
    HttpResponse<String> r = http("/metrics");
    assertEquals(200, r.statusCode());
    String body = r.body();
    assertMetric(body, "cachex_operations_seconds_count{op=\"get\",outcome=\"ok\"}", 2);
    assertMetric(body, "cachex_operations_seconds_count{op=\"incr\",outcome=\"WRONG_TYPE\"}", 1);
    assertMetric(body, "cachex_cache_requests_total{result=\"hit\"}", 1);
    assertMetric(body, "cachex_cache_requests_total{result=\"miss\"}", 1);
    assertMetric(body, "cachex_errors_total{code=\"WRONG_TYPE\"}", 1);
    assertTrue(body.contains("vertx_eventbus"), "Vert.x's own metrics are exposed too");
    assertTrue(!body.contains("not-a-real-secret-xyz"), "no secret in metrics");
  }

  static void assertMetric(String body, String series, double expected) {
    String line = body.lines().filter(l -> l.startsWith(series + " ")).findFirst().orElse(null);
    assertTrue(line != null, series + " missing in:\n" + body);
    assertEquals(expected, Double.parseDouble(line.substring(series.length() + 1).trim()), line);
  }

  @Test
  void healthReportsRedisAndCluster() throws Exception {
    HttpResponse<String> r = http("/health");
    assertEquals(200, r.statusCode(), r.body());
    JsonObject health = new JsonObject(r.body());
    assertEquals("UP", health.getString("status"), r.body());
    assertTrue(r.body().contains("\"redis\""), r.body());
    assertTrue(r.body().contains("\"clustered\":false"), r.body());
  }
}
