package io.cachex.service.support;

import java.util.Locale;

/**
 * Where the contract suite runs, chosen per surefire execution with {@code -Dcachex.topology=...}:
 * the same test classes run against every topology instead of hand-copied suites.
 */
public enum Topology {
  /** Service and caller on one local event bus, one standalone server. */
  STANDALONE,
  /** Caller and service on different Hazelcast members of a clustered event bus. */
  CLUSTERED_BUS,
  /** A Sentinel-managed primary and replica (3 sentinels). */
  SENTINEL,
  /** A Redis Cluster of 3 primaries and 3 replicas. */
  REDIS_CLUSTER;

  /** Whether the data tier is the one shared standalone server (tests that proxy or stall it need that). */
  public boolean singleServer() {
    return this == STANDALONE || this == CLUSTERED_BUS;
  }

  public static Topology current() {
    String t = System.getProperty("cachex.topology", "standalone");
    return Topology.valueOf(t.replace('-', '_').toUpperCase(Locale.ROOT));
  }
}
