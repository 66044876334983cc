package io.cachex.bench;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Run settings from arguments ({@code --quick}, {@code --warmup=ms}, {@code --measure=ms},
 * {@code --clients=a,b}, {@code --out=path}) or the same names as system properties
 * ({@code -Dbench.warmup=1000}).
 */
public final class Settings {
  public boolean quick;
  public long warmupMillis = 1000;
  public long measureMillis = 2500;
  public long clientWarmupMillis = 2000;
  public long drainMillis = 10_000;
  public long maxOpsPerCell = 50_000_000L;
  public int[] inFlights = {1, 64, 256};
  public int fixedInFlight = 64;
  public Set<String> clients = new LinkedHashSet<>(Arrays.asList(
      "raw-vertx", "cachex-local", "coalescing-local", "cachex-near", "cachex-clustered", "coalescing-clustered", "lettuce", "redisson", "jedis",
      "proxy-echo", "coalescing-echo", "proxy-echo-clustered", "coalescing-echo-clustered"));
  public int[] cachexInstances = {1, 2};
  /** Substrings of workload ids to run ("get 100 B", "setMany"); empty = all. */
  public java.util.List<String> workloads = java.util.List.of();
  public int hazelcastPort = 18701;
  public String out = "benchmarks/target/benchmark-results.md";
  /** CPU time the server process has used so far, in µs (its INFO cpu), or -1; read at the edges of the window. */
  public java.util.function.LongSupplier serverCpuMicros = () -> -1;

  public static Settings parse(String[] args) {
    Settings s = new Settings();
    boolean quick = Boolean.getBoolean("bench.quick");
    for (String a : args) {
      if (a.equals("--quick")) {
        quick = true;
      }
    }
    if (quick) {
      s.quick = true;
      // a smoke run of about half a minute: every client and workload, short windows, no 256-in-flight cells
      s.warmupMillis = 100;
      s.measureMillis = 200;
      s.clientWarmupMillis = 300;
      s.inFlights = new int[] {1, 64};
    }
    apply(s, "warmup", System.getProperty("bench.warmup"));
    apply(s, "measure", System.getProperty("bench.measure"));
    apply(s, "clients", System.getProperty("bench.clients"));
    apply(s, "out", System.getProperty("bench.out"));
    apply(s, "inflight", System.getProperty("bench.inflight"));
    apply(s, "instances", System.getProperty("bench.instances"));
    apply(s, "hazelcastPort", System.getProperty("bench.hazelcastPort"));
    apply(s, "workloads", System.getProperty("bench.workloads"));
    for (String a : args) {
      if (a.startsWith("--") && a.contains("=")) {
        apply(s, a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      } else if (!a.equals("--quick")) {
        if (a.equals("--help") || a.equals("-h")) {
          System.out.println(usage());
          System.exit(0);
        }
        throw new IllegalArgumentException("unknown argument " + a + "\n" + usage());
      }
    }
    return s;
  }

  private static void apply(Settings s, String name, String value) {
    if (value == null) {
      return;
    }
    switch (name) {
      case "warmup": s.warmupMillis = Long.parseLong(value); break;
      case "measure": s.measureMillis = Long.parseLong(value); break;
      case "clients": s.clients = new LinkedHashSet<>(Arrays.asList(value.split(","))); break;
      case "out": s.out = value; break;
      case "inflight": s.inFlights = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray(); break;
      case "instances": s.cachexInstances = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray(); break;
      case "hazelcastPort": s.hazelcastPort = Integer.parseInt(value); break;
      case "workloads": s.workloads = Arrays.asList(value.split(",")); break;
      default: throw new IllegalArgumentException("unknown option --" + name + "\n" + usage());
    }
  }

  static String usage() {
    return "usage: java -jar benchmarks-*-fat.jar [--quick] [--warmup=ms] [--measure=ms] [--clients=raw-vertx,cachex-local,coalescing-local,"
        + "cachex-near,cachex-clustered,coalescing-clustered,lettuce,redisson,jedis,proxy-echo,coalescing-echo,proxy-echo-clustered,coalescing-echo-clustered] [--inflight=1,64,256] [--instances=1,2] [--hazelcastPort=18701] [--workloads=get 100 B,setMany] [--out=file]";
  }

  public long maxCells(int workloads) {
    return (long) workloads * clients.size();
  }
}
