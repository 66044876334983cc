package io.cachex.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodesConfTest {

  // the replica line Valkey 8.0.1 rejected in CI, with a primary line for it
  private static final String REPLICA = "d5b21fd2f2a17d32abc7c18062f75b2a20df0adf 127.0.0.1:38671@48671,,"
      + "tls-port=0,shard-id=599da61752fa4b65bdabbd94b4dd95977d757d48 slave 5ccd7473bdf7e958c35b9dd5a9562a63b37d0321 "
      + "0 1795845404863 2 connected";
  private static final String PRIMARY = "5ccd7473bdf7e958c35b9dd5a9562a63b37d0321 127.0.0.1:38672@48672,,"
      + "tls-port=0,shard-id=0123456789abcdef0123456789abcdef01234567 myself,master - 0 1795845404863 1 connected 0-16383";
  private static final String VARS = "vars currentEpoch 2 lastVoteEpoch 0";

  @Test
  void aReplicaTakesItsPrimarysShardIdWhereverTheLinesAre() {
    String aligned = REPLICA.replace("599da61752fa4b65bdabbd94b4dd95977d757d48",
        "0123456789abcdef0123456789abcdef01234567");
    assertEquals(List.of(aligned, PRIMARY, VARS), NodesConf.align(List.of(REPLICA, PRIMARY, VARS)));
    assertEquals(List.of(PRIMARY, aligned, VARS), NodesConf.align(List.of(PRIMARY, REPLICA, VARS)));
    String myselfReplica = REPLICA.replace(" slave ", " myself,slave ");
    assertEquals(List.of(aligned.replace(" slave ", " myself,slave "), PRIMARY),
        NodesConf.align(List.of(myselfReplica, PRIMARY)));
  }

  @Test
  void linesWithoutAKnownPrimaryShardIdStayAsTheyAre() {
    assertEquals(List.of(REPLICA, VARS), NodesConf.align(List.of(REPLICA, VARS)));   // primary unknown
    String oldPrimary = PRIMARY.replace(",shard-id=0123456789abcdef0123456789abcdef01234567", "");
    assertEquals(List.of(REPLICA, oldPrimary), NodesConf.align(List.of(REPLICA, oldPrimary)));
  }
}
