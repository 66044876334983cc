package io.cachex.server.monitoring;

import io.cachex.api.config.ConfigSection;

/** The {@code monitoring} section: where the operator's HTTP endpoint listens. */
public final class MonitoringConfig {
  /** Not Prometheus's own 9090, so that both can run on one host. */
  public static final int DEFAULT_PORT = 9400;

  public final String host;
  public final int port;

  public MonitoringConfig(ConfigSection m) {
    host = m.string("host", "127.0.0.1");
    port = m.integer("port", DEFAULT_PORT, 0);
  }
}
