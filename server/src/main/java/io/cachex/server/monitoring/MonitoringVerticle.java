package io.cachex.server.monitoring;

import io.cachex.service.config.CachexConfig;
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
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;

import java.util.concurrent.TimeUnit;

/**
 * The operator's HTTP endpoint ({@code monitoring.port}): {@code /metrics} in Prometheus text format
 * (Vert.x's own metrics plus the service's, see {@link MicrometerOpObserver}) and {@code /health}
 * (Valkey/Redis answers PING; cluster membership). Never prints configuration, so no secret leaks.
 */
public class MonitoringVerticle extends VerticleBase {
  private HttpServer server;
  private Redis redis;

  @Override
  public Future<?> start() {
    JsonObject monitoring = config().getJsonObject("monitoring", new JsonObject());
    CachexConfig cachex = new CachexConfig(config());
    RedisOptions redisOptions = new RedisOptions().setType(io.vertx.redis.client.RedisClientType.valueOf(cachex.redis.type.toUpperCase()))
        .setMasterName(cachex.redis.masterName).setMaxPoolWaiting(16)
        .setNetClientOptions(io.cachex.service.redis.RedisGateway.netOptions(cachex.redis));   // same TLS trust as the service
    cachex.redis.endpoints.forEach(redisOptions::addConnectionString);
    if (cachex.redis.password != null) {
      redisOptions.setPassword(cachex.redis.password);
    }
    if (cachex.redis.user != null) {
      redisOptions.setUser(cachex.redis.user);
    }
    redis = Redis.createClient(vertx, redisOptions);

    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("redis", 2000, promise -> redis.send(Request.cmd(Command.PING))
        .timeout(1500, TimeUnit.MILLISECONDS)
        .onSuccess(pong -> promise.complete(Status.OK()))
        .onFailure(err -> promise.complete(Status.KO(new JsonObject().put("error", String.valueOf(err.getMessage()))))));
    checks.register("cluster", promise -> {
      VertxInternal internal = (VertxInternal) vertx;
      if (!vertx.isClustered()) {
        promise.complete(Status.OK(new JsonObject().put("clustered", false)));
      } else {
        promise.complete(Status.OK(new JsonObject().put("clustered", true)
            .put("nodeId", internal.clusterManager().getNodeId())
            .put("members", internal.clusterManager().getNodes().size())));
      }
    });

    Router router = Router.router(vertx);
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(checks));
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry instanceof PrometheusMeterRegistry) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create((PrometheusMeterRegistry) registry));
    }
    return vertx.createHttpServer().requestHandler(router)
        .listen(monitoring.getInteger("port", 9090), monitoring.getString("host", "127.0.0.1"))
        .onSuccess(s -> server = s);
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
