package io.cachex.server.monitoring;

import io.cachex.api.config.ConfigSection;
import io.cachex.service.config.CachexConfig;
import io.cachex.service.config.RedisUris;
import io.cachex.service.redis.RedisGateway;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.util.concurrent.TimeUnit;

/**
 * The operator's HTTP endpoint ({@code monitoring.port}): {@code /metrics} in Prometheus text format
 * (Vert.x's own metrics plus the service's, see {@link io.cachex.service.monitoring.MicrometerOpObserver}),
 * {@code /health/live} (the node's event loop answers: restart it when this fails), {@code /health/ready}
 * (Valkey/Redis answers PING: send it traffic only then) and {@code /health} (every check, with details).
 * Never prints configuration, so no secret leaks.
 */
public class MonitoringVerticle extends VerticleBase {
  private HttpServer server;
  private Redis redis;

  @Override
  public Future<?> start() {
    ConfigSection root = ConfigSection.root(config());
    CachexConfig cachex = new CachexConfig(root);
    ConfigSection section = root.section("monitoring");
    MonitoringConfig monitoring = new MonitoringConfig(section);
    section.rejectUnknown();
    redis = Redis.createClient(vertx, RedisGateway.options(cachex.redis, 1, 16));

    HealthChecks ready = HealthChecks.create(vertx);
    ready.register("redis", 2000, promise -> redis.send(Request.cmd(Command.PING))
        .timeout(1500, TimeUnit.MILLISECONDS)
        .onSuccess(pong -> promise.complete(Status.OK()))
        .onFailure(err -> promise.complete(Status.KO(new JsonObject().put("error", RedisUris.mask(String.valueOf(err.getMessage())))))));
    ready.register("cluster", promise -> {
      VertxInternal internal = (VertxInternal) vertx;
      if (!vertx.isClustered()) {
        promise.complete(Status.OK(new JsonObject().put("clustered", false)));
      } else {
        promise.complete(Status.OK(new JsonObject().put("clustered", true)
            .put("nodeId", internal.clusterManager().getNodeId())
            .put("members", internal.clusterManager().getNodes().size())));
      }
    });
    HealthChecks live = HealthChecks.create(vertx);
    live.register("eventLoop", promise -> promise.complete(Status.OK()));

    Router router = Router.router(vertx);
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(ready));
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry instanceof PrometheusMeterRegistry) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create((PrometheusMeterRegistry) registry));
    }
    return vertx.createHttpServer().requestHandler(router)
        .listen(monitoring.port, monitoring.host)
        .onSuccess(s -> server = s)
        .recover(err -> Future.failedFuture(new IllegalStateException("the monitoring endpoint cannot listen on "
            + monitoring.host + ":" + monitoring.port + " (" + err.getMessage() + ")")));
  }

  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public Future<?> stop() {
    if (redis != null) {
      redis.close();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }
}
