package io.cachex.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One primary, N replicas ({@code --replicaof}, one by default) and three sentinels monitoring them as
 * {@value #MASTER_NAME} (quorum 2, down-after 1000 ms, failover-timeout 3000 ms). {@link #start} returns once every
 * sentinel sees every replica and the two other sentinels, so {@link #killPrimary()} is followed by a failover within
 * a few seconds, and {@link #failover()} (a planned {@code SENTINEL FAILOVER}) starts one at once. With two or more
 * replicas a second failover can follow the first.
 *
 * <p>Sentinels themselves take no password; with authentication configured they use
 * {@code sentinel auth-pass}/{@code auth-user} towards the data nodes. TLS is not supported here yet.
 */
public final class SentinelTopology implements AutoCloseable {

  public static final String MASTER_NAME = "mymaster";
  private static final int SENTINELS = 3;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final Path dir;
  private final List<LocalServerProcess> dataNodes = new ArrayList<>();
  private final List<LocalServerProcess> sentinels = new ArrayList<>();
  private volatile InetSocketAddress primaryBeforeFailover;
  private volatile boolean closed;

  private SentinelTopology(Path dir) {
    this.dir = dir;
  }

  /** A topology from {@link RedisServers#topologyBinary()}. */
  public static SentinelTopology start(ServerOptions options) {
    return start(RedisServers.topologyBinary(), options);
  }

  public static SentinelTopology start(Path binary, ServerOptions options) {
    return start(binary, options, 1);
  }

  /** {@code replicas} replicas, from {@link RedisServers#topologyBinary()}. */
  public static SentinelTopology start(ServerOptions options, int replicas) {
    return start(RedisServers.topologyBinary(), options, replicas);
  }

  /** {@code replicas} replicas of the primary (1 or more); {@code options} apply to every data node. */
  public static SentinelTopology start(Path binary, ServerOptions options, int replicas) {
    if (replicas < 1) {
      throw new IllegalArgumentException("a failover needs at least one replica");
    }
    if (options.tls() != null) {
      throw new UnsupportedOperationException("TLS sentinel topologies are not implemented yet");
    }
    if (options.port() != 0) {
      throw new IllegalArgumentException("a topology picks its own ports; do not set ServerOptions.port");
    }
    BinaryInfo info = BinaryInfo.of(binary);
    SentinelTopology topology = new SentinelTopology(Dirs.create("cachex-sentinel-"));
    Reaper.registerDir(topology.dir);
    try {
      LocalServerProcess primary = LocalServerProcess.startServer(info, topology.mkdir("primary"), false, options,
          List.of());
      topology.dataNodes.add(primary);
      for (int r = 0; r < replicas; r++) {
        topology.dataNodes.add(LocalServerProcess.startServer(info, topology.mkdir("replica-" + r), false, options,
            List.of("--replicaof", primary.host(), Integer.toString(primary.port()))));
      }
      // Sentinels would find the replica and each other within ~2-4 s (hello messages every 2 s); seeding
      // their configs with ids, ports and the replica makes them connect right away. A sentinel that loses
      // its port race starts elsewhere and is found by its hellos instead.
      int[] ports = new int[SENTINELS];
      String[] ids = new String[SENTINELS];
      for (int i = 0; i < SENTINELS; i++) {
        ports[i] = distinctFreePort(ports, i);
        ids[i] = randomId();
      }
      for (int i = 0; i < SENTINELS; i++) {
        Path sentinelDir = topology.mkdir("sentinel-" + i);
        StringBuilder seeds = new StringBuilder().append("sentinel myid ").append(ids[i]).append('\n');
        for (LocalServerProcess replica : topology.replicas()) {
          seeds.append("sentinel known-replica ").append(MASTER_NAME).append(' ').append(replica.host()).append(' ')
              .append(replica.port()).append('\n');
        }
        for (int j = 0; j < SENTINELS; j++) {
          if (j != i) {
            seeds.append("sentinel known-sentinel ").append(MASTER_NAME).append(' ').append(Ports.LOOPBACK).append(' ')
                .append(ports[j]).append(' ').append(ids[j]).append('\n');
          }
        }
        int[] first = {ports[i]};
        int[] writtenFor = {0};
        topology.sentinels.add(LocalServerProcess.startSentinel(info, sentinelDir,
            port -> {
              Path conf = sentinelDir.resolve("sentinel.conf");
              if (port != writtenFor[0]) {   // a restart keeps what the sentinel learned and wrote back
                writeConfig(conf, port, primary, options, seeds);
                writtenFor[0] = port;
              }
              return List.of(conf.toString(), "--sentinel");
            },
            () -> {
              int port = first[0] != 0 ? first[0] : Ports.free(false);
              first[0] = 0;
              return port;
            }));
      }
      topology.awaitReady(System.nanoTime() + READY_TIMEOUT.toNanos());
      return topology;
    } catch (RuntimeException | Error e) {
      topology.close();
      throw e;
    }
  }

  private static void writeConfig(Path file, int port, LocalServerProcess primary, ServerOptions options,
                                  CharSequence seeds) {
    StringBuilder conf = new StringBuilder()
        .append("port ").append(port).append('\n')
        .append("bind ").append(Ports.LOOPBACK).append('\n')
        .append("daemonize no\n")
        .append("dir ").append(file.getParent()).append('\n')
        .append("sentinel monitor ").append(MASTER_NAME).append(' ').append(primary.host()).append(' ')
        .append(primary.port()).append(" 2\n")
        .append("sentinel down-after-milliseconds ").append(MASTER_NAME).append(" 1000\n")
        .append("sentinel failover-timeout ").append(MASTER_NAME).append(" 3000\n")
        .append("sentinel parallel-syncs ").append(MASTER_NAME).append(" 1\n");
    if (options.clientPassword() != null) {
      conf.append("sentinel auth-pass ").append(MASTER_NAME).append(' ').append(options.clientPassword()).append('\n');
      if (options.clientUser() != null) {
        conf.append("sentinel auth-user ").append(MASTER_NAME).append(' ').append(options.clientUser()).append('\n');
      }
    }
    conf.append(seeds);
    try {   // sentinel rewrites this file: it must be writable
      Files.writeString(file, conf, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(long deadline) {
    Waits.until(deadline, "the replicas are in sync", () -> {
      for (LocalServerProcess replica : replicas()) {
        try (RespSocket socket = replica.connect()) {
          if (!socket.callString("INFO", "replication").contains("master_link_status:up")) {
            return false;
          }
        }
      }
      return true;
    });
    Waits.until(deadline, "every sentinel is connected to the primary, the replica and the other sentinels",
        () -> {
          for (LocalServerProcess sentinel : sentinels) {
            try (RespSocket socket = sentinel.connect()) {
              Map<String, String> master = asMap(socket.call("SENTINEL", "MASTER", MASTER_NAME));
              if (!"master".equals(master.get("flags")) || !Integer.toString(replicas().size()).equals(master.get("num-slaves"))
                  || !Integer.toString(SENTINELS - 1).equals(master.get("num-other-sentinels"))) {
                return false;
              }
              for (Object replica : (List<?>) socket.call("SENTINEL", "REPLICAS", MASTER_NAME)) {
                Map<String, String> fields = asMap(replica);
                if (!"slave".equals(fields.get("flags")) || !"ok".equals(fields.get("master-link-status"))) {
                  return false;
                }
              }
              for (Object other : (List<?>) socket.call("SENTINEL", "SENTINELS", MASTER_NAME)) {
                if (!"sentinel".equals(asMap(other).get("flags"))) {
                  return false;
                }
              }
            }
          }
          return true;
        });
  }

  // ---------------------------------------------------------------- accessors

  public String masterName() {
    return MASTER_NAME;
  }

  /** The node started as primary. */
  public LocalServerProcess primary() {
    return dataNodes.get(0);
  }

  /** The (first) node started as replica. */
  public LocalServerProcess replica() {
    return dataNodes.get(1);
  }

  /** The nodes started as replicas. */
  public List<LocalServerProcess> replicas() {
    return Collections.unmodifiableList(dataNodes.subList(1, dataNodes.size()));
  }

  /** Every data node (primary first, as started; roles change with failovers). */
  public List<LocalServerProcess> dataNodes() {
    return Collections.unmodifiableList(dataNodes);
  }

  public List<LocalServerProcess> sentinels() {
    return Collections.unmodifiableList(sentinels);
  }

  /** {@code redis://127.0.0.1:PORT} of each sentinel (sentinels take no password). */
  public List<String> sentinelUris() {
    return sentinels.stream().map(LocalServerProcess::uri).collect(Collectors.toList());
  }

  /** The primary's address as the first answering sentinel reports it (SENTINEL GET-MASTER-ADDR-BY-NAME). */
  public InetSocketAddress masterAddress() {
    RuntimeException last = null;
    for (LocalServerProcess sentinel : sentinels) {
      if (!sentinel.isRunning()) {
        continue;
      }
      try (RespSocket socket = sentinel.connect()) {
        return masterAddress(socket);
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw new IllegalStateException("no sentinel answered", last);
  }

  /** The data node sentinels currently report as primary. */
  public LocalServerProcess currentPrimary() {
    InetSocketAddress address = masterAddress();
    return dataNodes.stream().filter(n -> n.port() == address.getPort()).findFirst()
        .orElseThrow(() -> new IllegalStateException("sentinels report unknown primary " + address));
  }

  /** SIGKILLs the current primary; returns it ({@link LocalServerProcess#restart()} brings it back as a replica). */
  public LocalServerProcess killPrimary() {
    LocalServerProcess primary = currentPrimary();
    primaryBeforeFailover = masterAddress();
    primary.kill();
    return primary;
  }

  /**
   * A planned failover: {@code SENTINEL FAILOVER} on a running sentinel, which promotes a replica without
   * waiting for the primary to fail. The old primary keeps running and keeps accepting writes until Sentinel
   * demotes it (about 10 s after the switch), which is why clients must follow the announcements. Returns the
   * old primary; {@link #awaitFailover} waits for the new one.
   */
  public LocalServerProcess failover() {
    LocalServerProcess primary = currentPrimary();
    primaryBeforeFailover = masterAddress();
    RuntimeException last = null;
    for (LocalServerProcess sentinel : sentinels) {
      if (!sentinel.isRunning()) {
        continue;
      }
      try (RespSocket socket = sentinel.connect()) {
        socket.call("SENTINEL", "FAILOVER", MASTER_NAME);
        return primary;
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw new IllegalStateException("no sentinel accepted SENTINEL FAILOVER", last);
  }

  /**
   * Makes every running sentinel also monitor {@code primary} as {@code name} (same timings), e.g. so that
   * announcements about another master reach the clients of this one.
   */
  public void monitor(String name, LocalServerProcess primary) {
    for (LocalServerProcess sentinel : sentinels) {
      try (RespSocket socket = sentinel.connect()) {
        socket.call("SENTINEL", "MONITOR", name, primary.host(), primary.port(), 2);
        socket.call("SENTINEL", "SET", name, "down-after-milliseconds", 1000, "failover-timeout", 3000);
      }
    }
  }

  /**
   * Polls the sentinels until all running ones report a primary other than the one before {@link #killPrimary()}
   * or {@link #failover()} (or than the initial primary) and that node says {@code role:master}; returns it.
   */
  public LocalServerProcess awaitFailover(Duration timeout) {
    InetSocketAddress old = primaryBeforeFailover != null ? primaryBeforeFailover
        : new InetSocketAddress(primary().host(), primary().port());
    long deadline = System.nanoTime() + timeout.toNanos();
    Waits.until(deadline, "sentinels promote a new primary instead of " + old, () -> {
      int port = -1;
      for (LocalServerProcess sentinel : sentinels) {
        if (!sentinel.isRunning()) {
          continue;
        }
        try (RespSocket socket = sentinel.connect()) {
          InetSocketAddress reported = masterAddress(socket);
          if (reported.getPort() == old.getPort() || (port != -1 && port != reported.getPort())) {
            return false;
          }
          port = reported.getPort();
        }
      }
      LocalServerProcess promoted = currentPrimary();
      try (RespSocket socket = promoted.connect()) {
        return socket.callString("INFO", "replication").contains("role:master");
      }
    });
    primaryBeforeFailover = null;
    return currentPrimary();
  }

  /** Stops sentinels and data nodes and deletes the topology's directory. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    sentinels.forEach(LocalServerProcess::terminateAsync);
    dataNodes.forEach(LocalServerProcess::terminateAsync);
    sentinels.forEach(LocalServerProcess::close);
    dataNodes.forEach(LocalServerProcess::close);
    Dirs.deleteQuietly(dir);
    Reaper.unregisterDir(dir);
  }

  @Override
  public String toString() {
    return "sentinel topology " + MASTER_NAME + ": primary " + primary().port() + ", replicas "
        + replicas().stream().map(r -> Integer.toString(r.port())).collect(Collectors.joining(",")) + ", sentinels " + sentinelUris();
  }

  // ---------------------------------------------------------------- helpers

  private Path mkdir(String name) {
    try {
      return Files.createDirectories(dir.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int distinctFreePort(int[] taken, int count) {
    while (true) {
      int port = Ports.free(false);
      boolean distinct = true;
      for (int i = 0; i < count; i++) {
        distinct &= taken[i] != port;
      }
      if (distinct) {
        return port;
      }
    }
  }

  private static String randomId() {
    byte[] bytes = new byte[20];
    new java.security.SecureRandom().nextBytes(bytes);
    StringBuilder hex = new StringBuilder(40);
    for (byte b : bytes) {
      hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return hex.toString();
  }

  private static InetSocketAddress masterAddress(RespSocket sentinel) {
    List<?> reply = (List<?>) sentinel.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
    return InetSocketAddress.createUnresolved((String) reply.get(0), Integer.parseInt((String) reply.get(1)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> asMap(Object reply) {
    if (reply instanceof Map) {
      return (Map<String, String>) reply;
    }
    List<?> flat = (List<?>) reply;
    Map<String, String> map = new java.util.HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      map.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    return map;
  }
}
