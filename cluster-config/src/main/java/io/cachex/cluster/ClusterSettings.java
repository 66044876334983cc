package io.cachex.cluster;

import io.cachex.api.config.ConfigException;
import io.cachex.api.config.ConfigSection;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/**
 * The {@code cluster} section of the cachex config: whether this node joins a clustered event bus,
 * and how Hazelcast finds the other members. Profiles: {@code loopback} (development and tests: TCP-IP
 * join on 127.0.0.1, fast join), {@code members} (an explicit member list), {@code kubernetes}
 * (Hazelcast's Kubernetes discovery through the API server or DNS).
 */
public final class ClusterSettings {
  public enum Profile { LOOPBACK, MEMBERS, KUBERNETES }

  public final boolean enabled;
  public final Profile profile;
  public final String clusterName;
  public final String host;
  public final int port;
  public final List<String> members;
  public final String publicAddress;
  public final String eventBusHost;
  public final int eventBusPort;
  public final String eventBusPublicHost;
  public final String kubernetesNamespace;
  public final String kubernetesServiceName;
  public final String kubernetesServiceDns;

  /** Reads and checks a {@code cluster} section: a wrong value or an unknown option is a {@link ConfigException}. */
  public ClusterSettings(JsonObject json) {
    this(sectionOf(json));
  }

  private static ConfigSection sectionOf(JsonObject json) {
    ConfigSection root = ConfigSection.root(new JsonObject().put("cluster", json == null ? new JsonObject() : json));
    return root.section("cluster");
  }

  /**
   * Reads the section without refusing unknown keys: the caller does once every reader of the same
   * configuration has run.
   */
  public ClusterSettings(ConfigSection j) {
    enabled = j.bool("enabled", false);
    profile = Profile.valueOf(j.choice("profile", "loopback", List.of("loopback", "members", "kubernetes")).toUpperCase(Locale.ROOT));
    clusterName = j.string("clusterName", "cachex");
    boolean loopback = profile == Profile.LOOPBACK;
    String givenHost = j.optionalString("host", "127.0.0.1 with profile loopback, else all interfaces");
    host = givenHost != null ? givenHost : loopback ? "127.0.0.1" : null;
    port = j.integer("port", 5701, 1);
    List<String> listed = j.strings("members", "[\"127.0.0.1\"] with profile loopback");
    members = listed.isEmpty() && loopback ? List.of("127.0.0.1") : listed;
    publicAddress = j.string("publicAddress", null);
    String givenBusHost = j.optionalString("eventBusHost", "cluster.host");
    eventBusHost = givenBusHost != null ? givenBusHost : host == null ? "0.0.0.0" : host;
    eventBusPort = j.integer("eventBusPort", 0, 0);
    eventBusPublicHost = j.string("eventBusPublicHost", null);
    ConfigSection k8s = j.section("kubernetes");
    kubernetesNamespace = k8s.optionalString("namespace", "the pod's");
    kubernetesServiceName = k8s.string("serviceName", null);
    kubernetesServiceDns = k8s.string("serviceDns", null);
    if (profile == Profile.MEMBERS && members.isEmpty()) {
      throw new ConfigException("config option 'cluster.members' must list at least one host[:port] with profile 'members'");
    }
  }

  /** Settings for a loopback development cluster with the given name. */
  public static ClusterSettings loopback(String clusterName) {
    return new ClusterSettings(new JsonObject().put("enabled", true).put("clusterName", clusterName));
  }
}
