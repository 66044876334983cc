package io.cachex.server;

import io.cachex.cluster.ClusteredVertx;
import io.cachex.devredis.DevRedis;
import io.cachex.server.admin.AdminVerticle;
import io.cachex.server.bridge.BridgeVerticle;
import io.cachex.server.monitoring.Monitoring;
import io.cachex.server.monitoring.MonitoringVerticle;
import io.cachex.service.CachexVerticle;
import io.cachex.service.config.RedisUris;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One cachex node, started and stopped by the launcher's main thread: the development Redis when one is
 * wanted, the Vert.x instance (clustered or not, with metrics and tracing when configured), Redis readiness,
 * then the service, bridges and monitoring verticles. {@link #stop()} may come at any moment (a signal), from
 * another thread; it is idempotent and bounded.
 */
final class CachexServer {
  private static final long DEPLOY_TIMEOUT_MS = 60_000;
  private static final long STOP_TIMEOUT_MS = 20_000;

  private final PrintStream out;
  private volatile boolean stopping;
  private volatile DevRedis devRedis;
  private volatile Vertx vertx;

  CachexServer(PrintStream out) {
    this.out = out;
  }

  /** Starts the node and returns the ready line; a failure is a {@link StartupException} with one sentence. */
  String start(ServerConfig config) {
    config = withRedis(config);
    Vertx built = buildVertx(config);
    keep(() -> vertx = built, built::close);
    String answered = new RedisReadiness(built, config.service.redis).await(config.redisWaitSeconds, out::println, () -> stopping);
    deploy(CachexVerticle::new, config.serviceJson(), config.instances, "the service");
    return "cachex ready: address=" + config.service.address
        + " redis=" + RedisUris.mask(String.valueOf(config.service.redis.endpoints)) + " (" + answered + ")"
        + " instances=" + config.instances + startBridges(config) + startMonitoring(config) + startAdmin(config)
        + (built.isClustered() ? " cluster=" + config.cluster.clusterName : "");
  }

  /** Deploys the bridges the configuration asks for; returns where they listen, for the ready line. */
  private String startBridges(ServerConfig config) {
    if (config.bridges == null) {
      return "";
    }
    BridgeVerticle bridge = new BridgeVerticle();
    deploy(() -> bridge, config.json, 1, "the bridges");
    List<String> listening = new ArrayList<>();
    if (bridge.tcpPort() >= 0) {
      listening.add("tcp://" + config.bridges.host + ":" + bridge.tcpPort());
    }
    if (bridge.sockJsPort() >= 0) {
      listening.add("http://" + config.bridges.host + ":" + bridge.sockJsPort() + config.bridges.sockJsPath);
    }
    return " bridges=" + String.join(",", listening);
  }

  /** Deploys the monitoring endpoint when configured; returns its URLs, for the ready line. */
  private String startMonitoring(ServerConfig config) {
    if (config.monitoring == null) {
      return "";
    }
    MonitoringVerticle endpoint = new MonitoringVerticle();
    deploy(() -> endpoint, config.json, 1, "monitoring");
    String base = "http://" + config.monitoring.host + ":" + endpoint.port();
    return " monitoring=" + base + "/metrics," + base + "/health/ready";
  }

  /** Deploys the admin UI when configured; returns its URL, for the ready line. */
  private String startAdmin(ServerConfig config) {
    if (config.admin == null) {
      return "";
    }
    AdminVerticle ui = new AdminVerticle();
    deploy(() -> ui, config.json, 1, "the admin UI");
    return " admin=http://" + config.admin.host + ":" + ui.port() + "/";
  }

  /** The configuration with its Redis: the configured one, or a development Redis started here. */
  private ServerConfig withRedis(ServerConfig config) {
    boolean embedded = config.embeddedRedis != null ? config.embeddedRedis : !config.hasEndpoints() && !config.cluster.enabled;
    if (embedded && config.hasEndpoints()) {
      throw new StartupException("redis.embedded is true but redis.endpoints is set too: choose one");
    }
    if (!embedded) {
      if (!config.hasEndpoints()) {
        throw new StartupException(config.cluster.enabled
            ? "a clustered node needs the Redis all nodes share: set redis.endpoints (or CACHEX_REDIS_URI); "
              + "redis.embedded: true gives this node a development Redis of its own"
            : "no Redis configured: set redis.endpoints (or CACHEX_REDIS_URI)");
      }
      return config;
    }
    if (!DevRedis.available()) {
      throw new StartupException("no Redis configured (redis.endpoints or CACHEX_REDIS_URI) and no development Redis to start: "
          + "install valkey-server or redis-server, or keep lib/embedded-redis.jar beside the jar");
    }
    DevRedis started;
    try {
      started = DevRedis.start();
    } catch (RuntimeException e) {
      throw new StartupException("the development Redis did not start: " + e.getMessage());
    }
    keep(() -> devRedis = started, started::close);
    out.println("cachex: no Redis configured (redis.endpoints or CACHEX_REDIS_URI): started a development Redis, "
        + devRedis.description());
    return config.withEndpoint(devRedis.uri());
  }

  /**
   * Keeps a resource that {@link #stop()} must release, unless stop() already ran (a signal during startup):
   * then releases it at once and gives up starting.
   */
  private synchronized void keep(Runnable assign, Runnable release) {
    if (stopping) {
      release.run();
      throw new StartupException("stopped while starting");
    }
    assign.run();
  }

  private Vertx buildVertx(ServerConfig config) {
    VertxOptions options = new VertxOptions();
    // the admin UI charts the service's meters too
    boolean metrics = config.monitoring != null || config.admin != null;
    if (metrics) {
      options.setMetricsOptions(Monitoring.metricsOptions());
    }
    try {
      if (config.cluster.enabled) {
        VertxBuilder builder = ClusteredVertx.builder(config.cluster, options).withMetrics(Monitoring.factory(metrics));
        return Awaits.await(Tracing.configure(builder, config.tracing).buildClustered(), DEPLOY_TIMEOUT_MS);
      }
      VertxBuilder builder = Vertx.builder().with(options).withMetrics(Monitoring.factory(metrics));
      return Tracing.configure(builder, config.tracing).build();
    } catch (Awaits.TimedOut e) {
      throw new StartupException("the clustered event bus did not start within " + DEPLOY_TIMEOUT_MS / 1000 + " s");
    } catch (StartupException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StartupException((config.cluster.enabled ? "the clustered event bus did not start: " : "Vert.x did not start: ")
          + firstLine(e));
    }
  }

  private void deploy(Supplier<Deployable> verticles, JsonObject json, int instances, String what) {
    Future<String> deployed = vertx.deployVerticle(verticles, new DeploymentOptions().setConfig(json).setInstances(instances));
    try {
      Awaits.await(deployed, DEPLOY_TIMEOUT_MS);
    } catch (Awaits.TimedOut e) {
      throw new StartupException(what + " did not start within " + DEPLOY_TIMEOUT_MS / 1000 + " s");
    } catch (StartupException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StartupException(firstLine(e));
    }
  }

  /** Whether {@link #stop()} was called. */
  boolean stopping() {
    return stopping;
  }

  /** Undeploys everything, leaves the cluster, stops the development Redis. Idempotent, bounded. */
  synchronized void stop() {
    stopping = true;
    Vertx v = vertx;
    vertx = null;
    if (v != null) {
      try {
        v.close().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        out.println("cachex: Vert.x did not close cleanly (" + firstLine(e) + ")");
      }
    }
    DevRedis redis = devRedis;
    devRedis = null;
    if (redis != null) {
      redis.close();
    }
  }

  /** The first line of an exception's message, its credentials masked (never a stack trace). */
  static String firstLine(Throwable e) {
    Throwable t = e;
    while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().split("\n")[0].trim();
    return RedisUris.mask(message);
  }
}
