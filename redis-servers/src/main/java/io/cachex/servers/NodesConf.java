package io.cachex.servers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Repairs a cluster node's {@code nodes.conf} before the node is started again.
 *
 * <p>Valkey 8.0.x (Debian ships 8.0.1) refuses to start ("Unrecoverable error: corrupted cluster config file")
 * when a replica's persisted shard-id differs from its primary's. The shard-id settles through gossip, so a node
 * killed shortly after forming or failing over can persist such a file (valkey-io/valkey#774, #2171). The server
 * fix (valkey-io/valkey#2174) makes the replica take its primary's shard-id on load; we do the same to the file.
 * Dropping the field instead does not work: a replica loaded before its primary then hands the primary a random
 * shard-id, and the primary's own line is rejected.
 */
final class NodesConf {

  private static final Pattern SHARD_ID = Pattern.compile(",shard-id=([0-9a-f]+)");

  private NodesConf() {
  }

  /** Aligns every replica line's shard-id with its primary's; leaves the file alone when it does not exist. */
  static void alignReplicaShardIds(Path nodesConf) throws IOException {
    if (!Files.exists(nodesConf)) {
      return;
    }
    List<String> lines = Files.readAllLines(nodesConf, StandardCharsets.UTF_8);
    List<String> repaired = align(lines);
    if (!repaired.equals(lines)) {
      Files.write(nodesConf, repaired, StandardCharsets.UTF_8);
    }
  }

  /** Node lines are {@code <id> <ip:port@cport[,hostname[,aux=value...]]> <flags> <primary-id> ...}. */
  static List<String> align(List<String> lines) {
    Map<String, String> shardIdByNode = new HashMap<>();
    for (String line : lines) {
      String[] fields = line.split(" ");
      if (isNode(fields)) {
        Matcher shardId = SHARD_ID.matcher(fields[1]);
        if (shardId.find()) {
          shardIdByNode.put(fields[0], shardId.group(1));
        }
      }
    }
    return lines.stream().map(line -> {
      String[] fields = line.split(" ");
      String primaryShardId = isNode(fields) && isReplica(fields[2]) ? shardIdByNode.get(fields[3]) : null;
      if (primaryShardId == null) {
        return line;
      }
      fields[1] = SHARD_ID.matcher(fields[1]).replaceAll(",shard-id=" + primaryShardId);
      return String.join(" ", fields);
    }).collect(Collectors.toList());
  }

  private static boolean isNode(String[] fields) {
    return fields.length >= 8 && !fields[0].equals("vars");
  }

  private static boolean isReplica(String flags) {
    for (String flag : flags.split(",")) {
      if (flag.equals("slave") || flag.equals("replica")) {
        return true;
      }
    }
    return false;
  }
}
