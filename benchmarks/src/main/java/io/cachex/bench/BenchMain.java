package io.cachex.bench;

import io.cachex.servers.RedisServer;
import io.cachex.servers.RedisServers;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark run (docs/BENCHMARKS.md): starts one Redis server on a free loopback port, then for
 * each client runs every workload as a closed loop (warmup, measured window), and prints one Markdown
 * table per workload with ratios to raw vertx-redis-client on one connection, measured in the same run.
 */
public final class BenchMain {
  private final Settings s;
  private final List<Driver.Result> results = new ArrayList<>();
  private final List<Driver.Result> calibration = new ArrayList<>();
  private final List<Integer> calibrationInstances = new ArrayList<>();
  private final Map<String, String> clientSetups = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private final long started = System.nanoTime();
  private ServerInfo info;
  private String serverVersion = "?";
  private int cachexInstances = -1;

  /** Hazelcast logs through JUL at INFO; keep a strong reference so the level sticks. */
  private static final java.util.logging.Logger HAZELCAST_LOG = java.util.logging.Logger.getLogger("com.hazelcast");

  private BenchMain(Settings s) {
    this.s = s;
  }

  public static void main(String[] args) throws Exception {
    HAZELCAST_LOG.setLevel(java.util.logging.Level.WARNING);
    Settings s = Settings.parse(args);
    BenchMain main = new BenchMain(s);
    int code = 0;
    try {
      main.run();
    } catch (Throwable t) {
      t.printStackTrace();
      main.notes.add("the run stopped early: " + t);
      code = 1;
    }
    main.report();
    log(String.format(Locale.ROOT, "elapsed %.1f s", (System.nanoTime() - main.started) / 1e9));
    System.exit(code);
  }

  private void run() throws Exception {
    List<Workload> workloads = new ArrayList<>(Workload.all(s.inFlights, s.fixedInFlight));
    if (!s.workloads.isEmpty()) {
      workloads.removeIf(w -> s.workloads.stream().noneMatch(w.id()::contains));
    }
    long perCell = s.warmupMillis + s.measureMillis;
    long cells = (long) workloads.size() * s.clients.size() + 2L * s.cachexInstances.length;
    log("workloads: " + workloads.size() + ", clients: " + s.clients + ", " + perCell + " ms per cell"
        + (s.quick ? " (quick mode)" : "") + "; expect about "
        + (cells * perCell + s.clients.size() * s.clientWarmupMillis) / 1000 + " s of measuring plus ~30 s of setup");
    watchdog(TimeUnit.MILLISECONDS.toMinutes(perCell * workloads.size() * (s.clients.size() + 1) * 3) + 5);
    try (RedisServer server = RedisServers.start()) {
      info = new ServerInfo(server.host(), server.port());
      serverVersion = describeServer(server);
      log("server: " + serverVersion + " at " + server.uri());
      for (String client : s.clients) {
        try {
          runClient(client, server.uri(), workloads);
        } catch (Throwable t) {
          log(client + " failed: " + t);
          t.printStackTrace();
          notes.add("`" + client + "` left out: " + t);
        }
        info.call("FLUSHALL");
      }
      info.close();
    }
  }

  private String describeServer(RedisServer server) throws IOException {
    String valkey = info.info("server", "valkey_version");
    String redis = info.info("server", "redis_version");
    return (!"?".equals(valkey) ? "Valkey " + valkey : "Redis " + redis) + " (" + server.description() + ")";
  }

  private void runClient(String name, String uri, List<Workload> workloads) throws Exception {
    BenchClient client;
    switch (name) {
      case "raw-vertx":
        client = new RawVertxClient(uri);
        break;
      case "cachex-local":
        client = calibrateLocal(uri);
        break;
      case "cachex-near":
        client = CachexClient.near(uri, cachexInstances > 0 ? cachexInstances : s.cachexInstances[0]);
        break;
      case "cachex-clustered":
        client = CachexClient.clustered(uri, cachexInstances > 0 ? cachexInstances : s.cachexInstances[0], s.hazelcastPort, false);
        break;
      case "coalescing-local":
        client = CachexClient.local(uri, cachexInstances > 0 ? cachexInstances : s.cachexInstances[0], true);
        break;
      case "coalescing-clustered":
        client = CachexClient.clustered(uri, cachexInstances > 0 ? cachexInstances : s.cachexInstances[0], s.hazelcastPort, true);
        break;
      case "lettuce":
        client = new LettuceClient(uri);
        break;
      case "redisson":
        client = new RedissonBench(uri);
        break;
      case "proxy-echo":
        client = ProxyEchoClient.local(false);
        break;
      case "proxy-echo-clustered":
        client = ProxyEchoClient.clustered(s.hazelcastPort + 10, false);
        break;
      case "coalescing-echo":
        client = ProxyEchoClient.local(true);
        break;
      case "coalescing-echo-clustered":
        client = ProxyEchoClient.clustered(s.hazelcastPort + 20, true);
        break;
      case "jedis":
        client = new JedisClient(uri, maxInFlight());
        break;
      default:
        throw new IllegalArgumentException("unknown client " + name + "\n" + Settings.usage());
    }
    try {
      clientSetups.put(name, client.describe());
      warmUp(client);
      for (Workload w : workloads) {
        Driver.Result r = cell(client, w, s.warmupMillis, s.measureMillis);
        if (r != null) {
          results.add(r);
        }
      }
    } finally {
      client.close();
    }
  }

  private int maxInFlight() {
    int max = s.fixedInFlight;
    for (int n : s.inFlights) {
      max = Math.max(max, n);
    }
    return max;
  }

  /** Runs the headline cells with each instance count and keeps the best deployment for the full run. */
  private BenchClient calibrateLocal(String uri) throws Exception {
    Workload get = new Workload(Workload.Kind.GET, 100, s.fixedInFlight);
    Workload set = new Workload(Workload.Kind.SET, 100, s.fixedInFlight);
    double best = -1;
    for (int instances : s.cachexInstances) {
      try (CachexClient c = CachexClient.local(uri, instances, false)) {
        warmUp(c);
        double score = 0;
        for (Workload w : new Workload[] {get, set}) {
          Driver.Result r = cell(c, w, s.warmupMillis, s.measureMillis);
          if (r != null) {
            calibration.add(r);
            calibrationInstances.add(instances);
            score += r.opsPerSecond();
          }
        }
        if (score > best) {
          best = score;
          cachexInstances = instances;
        }
      }
      info.call("FLUSHALL");
    }
    log("cachex-local: best with instances=" + cachexInstances);
    return CachexClient.local(uri, cachexInstances, false);
  }

  private void warmUp(BenchClient client) throws Exception {
    Workload w = new Workload(Workload.Kind.GET, 100, s.fixedInFlight);
    Driver.Op op = client.prepare(w);
    Settings warm = new Settings();
    warm.warmupMillis = s.clientWarmupMillis;
    warm.measureMillis = 1;
    Driver.run(client.name(), w, op, client.issuer(), warm);
  }

  private Driver.Result cell(BenchClient client, Workload w, long warmup, long measure) throws Exception {
    Driver.Op op;
    try {
      op = client.prepare(w);
    } catch (BenchClient.Skip skip) {
      // one note per client and reason, listing the workloads it skipped for that reason
      String head = "`" + client.name() + "` skips ";
      String reason = ": " + skip.getMessage();
      int at = -1;
      for (int i = 0; i < notes.size(); i++) {
        if (notes.get(i).startsWith(head) && notes.get(i).endsWith(reason)) {
          at = i;
        }
      }
      if (at < 0) {
        notes.add(head + w.group() + reason);
      } else if (!notes.get(at).contains(w.group())) {
        String n = notes.get(at);
        notes.set(at, n.substring(0, n.length() - reason.length()) + ", " + w.group() + reason);
      }
      log(head + w.id() + reason);
      return null;
    } catch (Exception e) {
      // a workload that cannot be set up costs its cell, not the client's whole run
      String note = "`" + client.name() + "` skips " + w.id() + ": setup failed: " + e;
      notes.add(note);
      log(note);
      return null;
    }
    Settings cell = new Settings();
    cell.warmupMillis = warmup;
    cell.measureMillis = measure;
    cell.drainMillis = s.drainMillis;
    cell.maxOpsPerCell = s.maxOpsPerCell;
    cell.serverCpuMicros = info::cpuMicros;
    long before = info.commandsProcessed();
    Driver.Result r = Driver.run(client.name(), w, op, client.issuer(), cell);
    long after = info.commandsProcessed();
    if (r.drained && r.completedTotal > 0) {
      r.serverCommandsPerOp = (after - before - 1) / (double) r.completedTotal;
    }
    if (r.errors > 0) {
      notes.add("`" + client.name() + "` " + w.id() + ": " + r.errors + " errors, first: " + r.firstError);
    }
    if (!r.drained) {
      notes.add("`" + client.name() + "` " + w.id() + ": requests still in flight " + s.drainMillis + " ms after the window closed");
    }
    log(String.format(Locale.ROOT, "%-20s %-40s %10.0f ops/s  p50 %8.1f us  p99 %8.1f us  cpu/op jvm %5.1f us server %5.1f us  writes/op %.2f%s",
        client.name(), w.id(), r.opsPerSecond(), r.p50Micros(), r.p99Micros(), r.jvmCpuMicrosPerOp(), r.serverCpuMicrosPerOp(),
        r.jvmWritesPerOp(),
        r.errors > 0 ? "  errors " + r.errors : ""));
    return r;
  }

  private void watchdog(long minutes) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.MINUTES.toMillis(minutes));
        notes.add("the watchdog stopped the run after " + minutes + " minutes");
        report();
        Runtime.getRuntime().halt(2);
      } catch (InterruptedException ignored) {
        // run finished
      }
    }, "bench-watchdog");
    t.setDaemon(true);
    t.start();
  }

  private synchronized void report() {
    String md = markdown();
    System.out.println();
    System.out.println(md);
    Path out = Paths.get(s.out);
    if (!Files.isDirectory(Paths.get("benchmarks")) && s.out.startsWith("benchmarks/")) {
      out = Paths.get(s.out.substring("benchmarks/".length())); // run from inside the module
    }
    try {
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      Files.write(out, md.getBytes(StandardCharsets.UTF_8));
      System.out.println("written to " + out.toAbsolutePath());
    } catch (IOException e) {
      System.err.println("could not write " + out + ": " + e);
    }
  }

  private String markdown() {
    StringBuilder b = new StringBuilder();
    double elapsed = (System.nanoTime() - started) / 1e9;
    b.append("# vertx-cachex benchmark").append(s.quick ? " (quick smoke run: numbers are indicative only)" : "").append("\n\n");
    b.append("- date: ").append(Instant.now()).append('\n');
    b.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version")).append(' ')
        .append(System.getProperty("os.arch")).append(", max heap ").append(Runtime.getRuntime().maxMemory() >> 20).append(" MB\n");
    b.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
        .append(", args ").append(ManagementFactory.getRuntimeMXBean().getInputArguments()).append('\n');
    b.append("- server: ").append(serverVersion).append('\n');
    b.append("- driver: closed loop, ").append(s.warmupMillis).append(" ms warmup + ").append(s.measureMillis)
        .append(" ms measured per cell, ").append(s.clientWarmupMillis).append(" ms client warmup; latency = HdrHistogram of request→completion\n");
    b.append("- elapsed: ").append(String.format(Locale.ROOT, "%.1f s", elapsed)).append('\n');
    if (cachexInstances > 0) {
      b.append("- cachex: CachexVerticle instances=").append(cachexInstances)
          .append(" (best of ").append(java.util.Arrays.toString(s.cachexInstances)).append(" at get+set 100 B @").append(s.fixedInFlight)
          .append("; used for cachex-local and cachex-clustered)\n");
    }
    b.append("\n## Clients\n\n");
    clientSetups.forEach((k, v) -> b.append("- `").append(k).append("`: ").append(v).append('\n'));

    if (!calibration.isEmpty()) {
      b.append("\n## cachex-local instance calibration\n\n| workload | instances | ops/s | p50 µs | p99 µs |\n|---|---:|---:|---:|---:|\n");
      for (int i = 0; i < calibration.size(); i++) {
        Driver.Result r = calibration.get(i);
        int inst = calibrationInstances.get(i);
        b.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %s | %s |\n", r.workload.id(), inst, r.opsPerSecond(),
            micros(r.p50Micros()), micros(r.p99Micros())));
      }
    }

    Map<String, List<Driver.Result>> byGroup = new LinkedHashMap<>();
    for (Driver.Result r : results) {
      byGroup.computeIfAbsent(r.workload.group(), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<String, List<Driver.Result>> e : byGroup.entrySet()) {
      b.append("\n## ").append(e.getKey()).append("\n\n");
      b.append("| client | in flight | ops/s | p50 µs | p99 µs | × raw-vertx | × lettuce | JVM CPU µs/op | server CPU µs/op | JVM writes/op | server cmds/op |\n");
      b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      List<Driver.Result> rows = new ArrayList<>(e.getValue());
      rows.sort((x, y) -> x.workload.inFlight != y.workload.inFlight ? Integer.compare(x.workload.inFlight, y.workload.inFlight)
          : Integer.compare(clientOrder(x.client), clientOrder(y.client)));
      for (Driver.Result r : rows) {
        Driver.Result raw = rows.stream().filter(x -> x.client.equals("raw-vertx") && x.workload.inFlight == r.workload.inFlight)
            .findFirst().orElse(null);
        String ratio = raw == null || raw.opsPerSecond() == 0 ? "–" : String.format(Locale.ROOT, "%.2f", r.opsPerSecond() / raw.opsPerSecond());
        Driver.Result lettuce = rows.stream().filter(x -> x.client.equals("lettuce") && x.workload.inFlight == r.workload.inFlight)
            .findFirst().orElse(null);
        String toLettuce = lettuce == null || lettuce.opsPerSecond() == 0 ? "–"
            : String.format(Locale.ROOT, "%.2f", r.opsPerSecond() / lettuce.opsPerSecond());
        String cmds = Double.isNaN(r.serverCommandsPerOp) ? "–" : String.format(Locale.ROOT, "%.2f", r.serverCommandsPerOp);
        String writes = Double.isNaN(r.jvmWritesPerOp()) ? "–" : String.format(Locale.ROOT, "%.2f", r.jvmWritesPerOp());
        b.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.client, r.workload.inFlight,
            r.opsPerSecond(), micros(r.p50Micros()), micros(r.p99Micros()), ratio, toLettuce, micros(r.jvmCpuMicrosPerOp()),
            micros(r.serverCpuMicrosPerOp()), writes, cmds));
      }
    }
    if (!notes.isEmpty()) {
      b.append("\n## Notes\n\n");
      for (String n : notes) {
        b.append("- ").append(n).append('\n');
      }
    }
    return b.toString();
  }

  private static String micros(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
  }

  private int clientOrder(String client) {
    int i = 0;
    for (String c : s.clients) {
      if (c.equals(client)) {
        return i;
      }
      i++;
    }
    return i;
  }

  private static void log(String line) {
    System.err.println("[bench] " + line);
  }
}
