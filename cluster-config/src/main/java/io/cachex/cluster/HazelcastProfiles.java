package io.cachex.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/**
 * Hazelcast member configuration per profile, on top of vertx-hazelcast's default-cluster.xml
 * (which defines the maps and multimaps the event bus needs). We only choose how members find
 * each other; membership and failure detection stay Hazelcast's.
 */
public final class HazelcastProfiles {
  private HazelcastProfiles() {
  }

  public static Config build(ClusterSettings s) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(s.clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // through java.util.logging, which the launcher hands to its logging backend
    config.setProperty("hazelcast.logging.type", "jdk");
    config.addListenerConfig(new ListenerConfig(new MembershipLog()));
    NetworkConfig net = config.getNetworkConfig();
    net.setPort(s.port).setPortAutoIncrement(true).setPortCount(20);
    if (s.publicAddress != null) {
      net.setPublicAddress(s.publicAddress);
    }
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    switch (s.profile) {
      case LOOPBACK:
        // joining takes ~5 s by default; on loopback there is nothing to wait for
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        net.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        join.getTcpIpConfig().setEnabled(true);
        for (int p = s.port; p < s.port + 20; p++) {
          join.getTcpIpConfig().addMember("127.0.0.1:" + p);
        }
        break;
      case MEMBERS:
        if (s.host != null) {
          net.getInterfaces().setEnabled(true).addInterface(s.host);
        }
        join.getTcpIpConfig().setEnabled(true).setMembers(s.members);
        break;
      case KUBERNETES:
        join.getKubernetesConfig().setEnabled(true);
        if (s.kubernetesNamespace != null) {
          join.getKubernetesConfig().setProperty("namespace", s.kubernetesNamespace);
        }
        if (s.kubernetesServiceName != null) {
          join.getKubernetesConfig().setProperty("service-name", s.kubernetesServiceName);
        }
        if (s.kubernetesServiceDns != null) {
          join.getKubernetesConfig().setProperty("service-dns", s.kubernetesServiceDns);
        }
        break;
      default:
        throw new IllegalStateException(String.valueOf(s.profile));
    }
    return config;
  }
}
