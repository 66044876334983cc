package io.cachex.server.monitoring;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/** Wiring of Micrometer + Prometheus into a Vert.x node (launcher: the {@code monitoring} section). */
public final class Monitoring {
  private Monitoring() {
  }

  public static MicrometerMetricsOptions metricsOptions() {
    return new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true);
  }

  /** A metrics factory backed by a Prometheus registry, or null (no metrics). */
  public static VertxMetricsFactory factory(boolean enabled) {
    return enabled ? new MicrometerMetricsFactory(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)) : null;
  }
}
