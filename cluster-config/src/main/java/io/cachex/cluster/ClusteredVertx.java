package io.cachex.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** Builds a clustered {@link Vertx} (Hazelcast) from the cachex {@code cluster} config section. */
public final class ClusteredVertx {
  private ClusteredVertx() {
  }

  public static Future<Vertx> start(JsonObject clusterConfig) {
    return start(new ClusterSettings(clusterConfig), new VertxOptions());
  }

  public static Future<Vertx> start(ClusterSettings settings, VertxOptions options) {
    return start(settings, options, null);
  }

  /** As {@link #start(ClusterSettings, VertxOptions)}, with a metrics factory (may be null). */
  public static Future<Vertx> start(ClusterSettings settings, VertxOptions options, io.vertx.core.spi.VertxMetricsFactory metrics) {
    return builder(settings, options).withMetrics(metrics).buildClustered();
  }

  /**
   * A builder with the event-bus transport and the Hazelcast cluster manager of {@code settings}; add metrics
   * or a tracer to it, then {@code buildClustered()}.
   */
  public static VertxBuilder builder(ClusterSettings settings, VertxOptions options) {
    EventBusOptions bus = options.getEventBusOptions().setHost(settings.eventBusHost).setPort(settings.eventBusPort);
    if (settings.eventBusPublicHost != null) {
      bus.setClusterPublicHost(settings.eventBusPublicHost);
    }
    return Vertx.builder()
        .with(options)
        .withClusterManager(new HazelcastClusterManager(HazelcastProfiles.build(settings)));
  }
}
