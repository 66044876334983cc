package io.cachex.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;

/**
 * One log line per member that joins or leaves. Hazelcast's own INFO output (a member table on every
 * change, and some hundred lines of start-up detail) is left to the logging configuration to quiet.
 */
final class MembershipLog implements MembershipListener {
  private static final System.Logger LOG = System.getLogger("io.cachex.cluster");

  @Override
  public void memberAdded(MembershipEvent event) {
    if (event.getMember().localMember()) {
      return;
    }
    LOG.log(System.Logger.Level.INFO, "cluster member joined: {0} ({1} members)", event.getMember().getAddress(), event.getMembers().size());
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    LOG.log(System.Logger.Level.INFO, "cluster member left: {0} ({1} members)", event.getMember().getAddress(), event.getMembers().size());
  }
}
