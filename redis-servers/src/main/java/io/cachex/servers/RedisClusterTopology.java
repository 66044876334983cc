package io.cachex.servers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * A real Redis/Valkey Cluster of local processes, formed without redis-cli (the embedded jar only has
 * the server): slots are assigned with CLUSTER ADDSLOTS, nodes meet with CLUSTER MEET, replicas attach with
 * CLUSTER REPLICATE, and {@link #start} returns once every node reports {@code cluster_state:ok}, knows every
 * node and sees every replica attached.
 *
 * <p>Nodes {@code 0..primaries-1} start as primaries (node {@code i} owns the i-th contiguous slot range);
 * replica {@code j} of primary {@code i} is node {@code primaries + i * replicasPerPrimary + j}.
 */
public final class RedisClusterTopology implements AutoCloseable {

  private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

  private final Path dir;
  private final int primaryCount;
  private final int replicasPerPrimary;
  private final List<LocalServerProcess> nodes;
  private final Map<LocalServerProcess, String> nodeIds = new HashMap<>();
  private volatile boolean closed;

  private RedisClusterTopology(Path dir, int primaryCount, int replicasPerPrimary, List<LocalServerProcess> nodes) {
    this.dir = dir;
    this.primaryCount = primaryCount;
    this.replicasPerPrimary = replicasPerPrimary;
    this.nodes = nodes;
  }

  /** A cluster from {@link RedisServers#topologyBinary()}. */
  public static RedisClusterTopology start(int primaries, int replicasPerPrimary, ServerOptions options) {
    return start(RedisServers.topologyBinary(), primaries, replicasPerPrimary, options);
  }

  public static RedisClusterTopology start(Path binary, int primaries, int replicasPerPrimary, ServerOptions options) {
    if (primaries < 1 || replicasPerPrimary < 0) {
      throw new IllegalArgumentException("need at least 1 primary and 0 or more replicas per primary");
    }
    if (options.port() != 0) {
      throw new IllegalArgumentException("a cluster picks its own ports; do not set ServerOptions.port");
    }
    BinaryInfo info = BinaryInfo.of(binary);
    Path dir = Dirs.create("cachex-cluster-");
    Reaper.registerDir(dir);
    int total = primaries * (1 + replicasPerPrimary);
    List<LocalServerProcess> nodes = new ArrayList<>();
    RedisClusterTopology topology = new RedisClusterTopology(dir, primaries, replicasPerPrimary,
        Collections.unmodifiableList(nodes));
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(total, 4));
    try {
      List<Future<LocalServerProcess>> starting = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        Path nodeDir = java.nio.file.Files.createDirectories(dir.resolve("node-" + i));
        Path nodesConf = nodeDir.resolve("nodes.conf");
        List<String> clusterArgs = new ArrayList<>(List.of(
            "--cluster-enabled", "yes",
            "--cluster-config-file", nodesConf.toString(),
            "--cluster-node-timeout", "2000"));
        if (options.tls() != null && options.tls().tlsCluster()) {
          clusterArgs.addAll(List.of("--tls-cluster", "yes"));
        }
        starting.add(pool.submit(() -> LocalServerProcess.startClusterNode(info, nodeDir, nodesConf, options, clusterArgs)));
      }
      RuntimeException failure = null;
      for (Future<LocalServerProcess> future : starting) {
        try {
          nodes.add(future.get());
        } catch (ExecutionException e) {
          failure = failure != null ? failure : asRuntime(e.getCause());
        }
      }
      if (failure != null) {
        throw failure;
      }
      topology.form();
      return topology;
    } catch (Exception e) {
      topology.close();
      throw asRuntime(e);
    } finally {
      pool.shutdownNow();
    }
  }

  private void form() {
    // 1. slots and distinct config epochs first (as redis-cli does), so no epoch collision has to be resolved
    for (int i = 0; i < nodes.size(); i++) {
      try (RespSocket node = nodes.get(i).connect()) {
        nodeIds.put(nodes.get(i), node.callString("CLUSTER", "MYID"));
        if (i < primaryCount) {
          List<Object> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));   // ADDSLOTSRANGE needs 7.0
          for (int slot = firstSlot(i); slot <= lastSlot(i); slot++) {
            command.add(slot);
          }
          node.call(command.toArray());
        }
        node.call("CLUSTER", "SET-CONFIG-EPOCH", i + 1);
      }
    }
    // 2. everybody meets node 0; gossip spreads the rest
    try (RespSocket first = nodes.get(0).connect()) {
      for (LocalServerProcess node : nodes.subList(1, nodes.size())) {
        first.call("CLUSTER", "MEET", node.host(), node.port());
      }
    }
    long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
    Waits.until(deadline, "every node knows all " + nodes.size() + " nodes", () -> {
      for (LocalServerProcess node : nodes) {
        if (!knowsAll(node)) {
          return false;
        }
      }
      return true;
    });
    // 3. replicas (retried: a node can be known by address before its real id has reached the replica)
    for (int p = 0; p < primaryCount; p++) {
      String primaryId = nodeIds.get(nodes.get(p));
      for (int r = 0; r < replicasPerPrimary; r++) {
        LocalServerProcess replica = nodes.get(primaryCount + p * replicasPerPrimary + r);
        Waits.until(deadline, replica + " replicates node " + p, () -> {
          try (RespSocket socket = replica.connect()) {
            socket.call("CLUSTER", "REPLICATE", primaryId);
            return true;
          } catch (RespSocket.ServerError e) {
            return false;
          }
        });
      }
    }
    awaitHealthy(deadline);
  }

  private boolean knowsAll(LocalServerProcess node) {
    try (RespSocket socket = node.connect()) {
      String nodesText = socket.callString("CLUSTER", "NODES");
      long known = nodesText.lines().filter(l -> !l.isBlank() && !l.contains("handshake") && !l.contains("noaddr")).count();
      return known == nodes.size();
    }
  }

  /** Every running node says cluster_state:ok, all slots ok, and sees every running replica attached to a primary. */
  private void awaitHealthy(long deadline) {
    Waits.until(deadline, "cluster_state:ok with all replicas attached on every node", () -> {
      List<LocalServerProcess> running = running();
      long runningReplicas = 0;
      for (LocalServerProcess node : running) {
        try (RespSocket socket = node.connect()) {
          String replication = socket.callString("INFO", "replication");
          if (replication.contains("role:slave")) {
            runningReplicas++;
            if (!replication.contains("master_link_status:up")) {
              return false;
            }
          }
        }
      }
      for (LocalServerProcess node : running) {
        try (RespSocket socket = node.connect()) {
          Map<String, String> info = infoFields(socket.callString("CLUSTER", "INFO"));
          if (!"ok".equals(info.get("cluster_state"))
              || !Integer.toString(Slots.COUNT).equals(info.get("cluster_slots_ok"))) {
            return false;
          }
          long attached = socket.callString("CLUSTER", "NODES").lines()
              .filter(l -> l.contains("slave") && !l.contains("fail")).count();
          if (attached < runningReplicas) {
            return false;
          }
        }
      }
      return true;
    });
  }

  // ---------------------------------------------------------------- accessors

  /** All nodes, primaries first (see class comment for the order). */
  public List<LocalServerProcess> nodes() {
    return nodes;
  }

  public LocalServerProcess node(int index) {
    return nodes.get(index);
  }

  /** The nodes started as primaries (roles may change after a failover: see {@link #primaryForSlot}). */
  public List<LocalServerProcess> primaries() {
    return nodes.subList(0, primaryCount);
  }

  /** The nodes started as replicas. */
  public List<LocalServerProcess> replicas() {
    return nodes.subList(primaryCount, nodes.size());
  }

  /** The replicas started for primary {@code primaryIndex}. */
  public List<LocalServerProcess> replicasOf(int primaryIndex) {
    int from = primaryCount + primaryIndex * replicasPerPrimary;
    return nodes.subList(from, from + replicasPerPrimary);
  }

  /** URIs of every node (a client needs only one that is up, but more seeds survive a dead node). */
  public List<String> seedUris() {
    return nodes.stream().map(LocalServerProcess::uri).collect(Collectors.toList());
  }

  /** The cluster's node id of a node (40 hex chars). */
  public String nodeId(LocalServerProcess node) {
    return nodeIds.get(node);
  }

  /** The primary serving {@code slot} right now, as a running node reports it (CLUSTER SLOTS). */
  public LocalServerProcess primaryForSlot(int slot) {
    for (LocalServerProcess node : running()) {
      try (RespSocket socket = node.connect()) {
        for (Object range : (List<?>) socket.call("CLUSTER", "SLOTS")) {
          List<?> r = (List<?>) range;
          if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
            int port = ((Long) ((List<?>) r.get(2)).get(1)).intValue();
            return byPort(port);
          }
        }
      } catch (RuntimeException e) {
        // try the next node
      }
    }
    throw new IllegalStateException("no running node knows who serves slot " + slot);
  }

  public LocalServerProcess primaryForKey(String key) {
    return primaryForSlot(Slots.slot(key));
  }

  /** A snapshot (one CLUSTER SLOTS from a running node) of which primary serves each key, for checking many keys. */
  public java.util.function.Function<String, LocalServerProcess> primariesByKey() {
    for (LocalServerProcess node : running()) {
      try (RespSocket socket = node.connect()) {
        LocalServerProcess[] owners = new LocalServerProcess[Slots.COUNT];
        for (Object range : (List<?>) socket.call("CLUSTER", "SLOTS")) {
          List<?> r = (List<?>) range;
          LocalServerProcess owner = byPort(((Long) ((List<?>) r.get(2)).get(1)).intValue());
          for (long slot = (Long) r.get(0); slot <= (Long) r.get(1); slot++) {
            owners[(int) slot] = owner;
          }
        }
        return key -> owners[Slots.slot(key)];
      } catch (RuntimeException e) {
        // try the next node
      }
    }
    throw new IllegalStateException("no running node answered CLUSTER SLOTS");
  }

  /** SIGKILLs the node started as primary {@code index} (its replica takes over after ~2–4 s); returns it. */
  public LocalServerProcess killPrimary(int index) {
    LocalServerProcess primary = primaries().get(index);
    primary.kill();
    return primary;
  }

  /**
   * Waits until the slots of the (killed) node {@code failed} are served by another node and the cluster
   * is ok again on every running node; returns the new primary of those slots.
   */
  public LocalServerProcess awaitFailover(LocalServerProcess failed, Duration timeout) {
    int index = nodes.indexOf(failed);
    if (index < 0 || index >= primaryCount) {
      throw new IllegalArgumentException(failed + " was not started as a primary");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    int slot = firstSlot(index);
    Waits.until(deadline, "slot " + slot + " moves away from " + failed, () -> allRunningAgree(slot, failed));
    awaitHealthy(deadline);
    return primaryForSlot(slot);
  }

  /**
   * A planned failover: {@code CLUSTER FAILOVER} on {@code replica}, whose primary first stops accepting writes
   * until the replica has caught up, so no acknowledged write is lost. Waits until every running node sees the
   * replica serve the slots and the cluster is healthy; returns the old primary (now a replica).
   */
  public LocalServerProcess manualFailover(LocalServerProcess replica, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    LocalServerProcess oldPrimary;
    String myId = nodeIds.get(replica);
    try (RespSocket socket = replica.connect()) {
      String me = socket.callString("CLUSTER", "NODES").lines().filter(l -> l.contains("myself")).findFirst()
          .orElseThrow(() -> new IllegalStateException(replica + " does not list itself"));
      String primaryId = me.split(" ")[3];
      oldPrimary = nodes.stream().filter(n -> primaryId.equals(nodeIds.get(n))).findFirst()
          .orElseThrow(() -> new IllegalArgumentException(replica + " replicates no node of this cluster"));
      socket.call("CLUSTER", "FAILOVER");
    }
    Waits.until(deadline, replica + " (" + myId + ") serves the slots of " + oldPrimary + " on every node", () -> {
      for (LocalServerProcess node : running()) {
        try (RespSocket socket = node.connect()) {
          for (Object range : (List<?>) socket.call("CLUSTER", "SLOTS")) {
            int port = ((Long) ((List<?>) ((List<?>) range).get(2)).get(1)).intValue();
            if (port == oldPrimary.port()) {
              return false;
            }
          }
        }
      }
      return true;
    });
    awaitHealthy(deadline);
    return oldPrimary;
  }

  /** Waits until every running node reports a healthy cluster (e.g. after restarting a node). */
  public void awaitClusterOk(Duration timeout) {
    awaitHealthy(System.nanoTime() + timeout.toNanos());
  }

  private boolean allRunningAgree(int slot, LocalServerProcess failed) {
    for (LocalServerProcess node : running()) {
      try (RespSocket socket = node.connect()) {
        boolean moved = false;
        for (Object range : (List<?>) socket.call("CLUSTER", "SLOTS")) {
          List<?> r = (List<?>) range;
          if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
            moved = ((Long) ((List<?>) r.get(2)).get(1)).intValue() != failed.port();
          }
        }
        if (!moved) {
          return false;
        }
      }
    }
    return true;
  }

  /** Kills every node and deletes the topology's directory. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    nodes.forEach(LocalServerProcess::terminateAsync);   // parallel SIGTERM, then each close() waits briefly
    nodes.forEach(LocalServerProcess::close);
    Dirs.deleteQuietly(dir);
    Reaper.unregisterDir(dir);
  }

  @Override
  public String toString() {
    return "cluster of " + primaryCount + " primaries x " + replicasPerPrimary + " replicas: " + seedUris();
  }

  // ---------------------------------------------------------------- helpers

  private List<LocalServerProcess> running() {
    return nodes.stream().filter(LocalServerProcess::isRunning).filter(n -> !n.isPaused()).collect(Collectors.toList());
  }

  private LocalServerProcess byPort(int port) {
    return nodes.stream().filter(n -> n.port() == port).findFirst()
        .orElseThrow(() -> new IllegalStateException("no node on port " + port));
  }

  private int firstSlot(int primary) {
    return primary * Slots.COUNT / primaryCount;
  }

  private int lastSlot(int primary) {
    return (primary + 1) * Slots.COUNT / primaryCount - 1;
  }

  static Map<String, String> infoFields(String info) {
    Map<String, String> fields = new HashMap<>();
    info.lines().forEach(line -> {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    });
    return fields;
  }

  private static RuntimeException asRuntime(Throwable e) {
    Objects.requireNonNull(e);
    return e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e.getMessage(), e);
  }
}
