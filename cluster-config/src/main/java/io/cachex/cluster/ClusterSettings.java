package io.cachex.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
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

  public ClusterSettings(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    enabled = j.getBoolean("enabled", false);
    profile = Profile.valueOf(j.getString("profile", "loopback").toUpperCase(Locale.ROOT));
    clusterName = j.getString("clusterName", "cachex");
    boolean loopback = profile == Profile.LOOPBACK;
    host = j.getString("host", loopback ? "127.0.0.1" : null);
    port = j.getInteger("port", 5701);
    members = strings(j.getJsonArray("members"), loopback ? List.of("127.0.0.1") : List.of());
    publicAddress = j.getString("publicAddress");
    eventBusHost = j.getString("eventBusHost", host == null ? "0.0.0.0" : host);
    eventBusPort = j.getInteger("eventBusPort", 0);
    eventBusPublicHost = j.getString("eventBusPublicHost");
    JsonObject k8s = j.getJsonObject("kubernetes", new JsonObject());
    kubernetesNamespace = k8s.getString("namespace");
    kubernetesServiceName = k8s.getString("serviceName");
    kubernetesServiceDns = k8s.getString("serviceDns");
    if (profile == Profile.MEMBERS && members.isEmpty()) {
      throw new IllegalArgumentException("cluster.members must list at least one host[:port] with profile 'members'");
    }
  }

  /** Settings for a loopback development cluster with the given name. */
  public static ClusterSettings loopback(String clusterName) {
    return new ClusterSettings(new JsonObject().put("enabled", true).put("clusterName", clusterName));
  }

  private static List<String> strings(JsonArray array, List<String> def) {
    if (array == null) {
      return def;
    }
    List<String> out = new ArrayList<>();
    for (Object o : array) {
      out.add(String.valueOf(o));
    }
    return List.copyOf(out);
  }
}
