package io.cachex.server.reliability;

import io.cachex.servers.LocalServerProcess;
import io.cachex.servers.RespSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Load from outside the service's JVM: every loop on every bridge client writes a fresh key
 * ({@code set}), increments its client's counter ({@code incr}) and reads the key back ({@code get}).
 * Every acknowledged write is recorded with the time of its acknowledgement, and the highest
 * acknowledged value of each counter, so that after a failover they can be read back directly from
 * the new primary and the acknowledged-but-lost ones counted.
 */
final class BridgeLoad {
  /** An acknowledged write: stored key, value, when the acknowledgement arrived (nanoTime). */
  static final class Ack {
    final String key;
    final long value;
    final long ackNs;

    Ack(String key, long value, long ackNs) {
      this.key = key;
      this.value = value;
      this.ackNs = ackNs;
    }
  }

  private final List<BridgeClient> clients;
  private final int loopsPerClient;
  private final String keyPrefix;
  private final String tag;
  final ConcurrentLinkedQueue<Ack> writes = new ConcurrentLinkedQueue<>();
  /** Counter key → highest value an incr acknowledged. */
  final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
  final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
  final Map<String, String> firstMessages = new ConcurrentHashMap<>();
  final AtomicLong issued = new AtomicLong();
  final AtomicLong completed = new AtomicLong();
  final AtomicLong maxLatencyMs = new AtomicLong();
  final AtomicLong wrongReads = new AtomicLong();
  private volatile boolean stopped;

  /** {@code keyPrefix} is the services' configured prefix: stored keys are {@code prefix:1:key}. */
  BridgeLoad(List<BridgeClient> clients, int loopsPerClient, String keyPrefix, String tag) {
    this.clients = clients;
    this.loopsPerClient = loopsPerClient;
    this.keyPrefix = keyPrefix;
    this.tag = tag;
  }

  BridgeLoad start() {
    for (int c = 0; c < clients.size(); c++) {
      for (int l = 0; l < loopsPerClient; l++) {
        loop(c, l, 0);
      }
    }
    return this;
  }

  private void loop(int client, int loop, long n) {
    if (stopped) {
      return;
    }
    BridgeClient bridge = clients.get(client);
    String key = tag + "c" + client + "l" + loop + ":" + n;
    String counter = tag + "counter" + client;
    call(bridge, "set", new JsonObject().put("key", key).put("value", new JsonArray().add(n)), reply -> {
      if (reply != null) {
        writes.add(new Ack(stored(key), n, System.nanoTime()));
      }
      call(bridge, "incr", new JsonObject().put("key", counter), incr -> {
        if (incr != null) {
          counters.computeIfAbsent(stored(counter), k -> new AtomicLong())
              .accumulateAndGet(((Number) incr.getValue("body")).longValue(), Math::max);
        }
        if (reply == null) {
          loop(client, loop, n + 1);
          return;
        }
        call(bridge, "get", new JsonObject().put("key", key), read -> {
          if (read != null && !Long.valueOf(n).equals(((Number) read.getValue("body", -1L)).longValue())) {
            wrongReads.incrementAndGet();
          }
          loop(client, loop, n + 1);
        });
      });
    });
  }

  /** Sends one request and calls {@code next} with the reply frame, or null when it failed. */
  private void call(BridgeClient bridge, String action, JsonObject body, java.util.function.Consumer<JsonObject> next) {
    long begin = System.nanoTime();
    issued.incrementAndGet();
    bridge.request(action, body).whenComplete((reply, err) -> {
      completed.incrementAndGet();
      maxLatencyMs.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), Math::max);
      String outcome = err != null ? "client:" + err.getClass().getSimpleName() : BridgeClient.outcome(reply);
      outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
      if (!"ok".equals(outcome)) {
        firstMessages.putIfAbsent(outcome, err != null ? String.valueOf(err) : String.valueOf(reply.getValue("message")));
      }
      if (err == null) { // a lost bridge connection ends the loop
        next.accept("ok".equals(outcome) ? reply : null);
      }
    });
  }

  String stored(String key) {
    return keyPrefix + ":1:" + key;
  }

  /** Stops issuing and waits (bounded) for every issued request to complete. */
  void stopAndDrain(long maxWaitMs) throws InterruptedException {
    stopped = true;
    long deadline = System.currentTimeMillis() + maxWaitMs;
    while (completed.get() < issued.get() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
  }

  Map<String, Long> outcomeCounts() {
    Map<String, Long> m = new TreeMap<>();
    outcomes.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /** Writes acknowledged up to {@code untilNs}. */
  List<Ack> writesUntil(long untilNs) {
    List<Ack> acks = new ArrayList<>();
    for (Ack a : writes) {
      if (a.ackNs <= untilNs) {
        acks.add(a);
      }
    }
    return acks;
  }

  /** Longest time without any acknowledged write between {@code fromNs} and {@code toNs}, in ms. */
  long longestWriteGapMs(long fromNs, long toNs) {
    List<Long> times = new ArrayList<>();
    for (Ack a : writes) {
      if (a.ackNs >= fromNs && a.ackNs <= toNs) {
        times.add(a.ackNs);
      }
    }
    Collections.sort(times);
    long gap = 0;
    long previous = fromNs;
    for (long t : times) {
      gap = Math.max(gap, t - previous);
      previous = t;
    }
    return TimeUnit.NANOSECONDS.toMillis(Math.max(gap, toNs - previous));
  }

  /** What a raw client finds on {@code primary}: the acknowledged writes missing there, and counters behind. */
  static final class ReadBack {
    final int checked;
    final List<Ack> lost;
    final List<String> countersBehind;

    ReadBack(int checked, List<Ack> lost, List<String> countersBehind) {
      this.checked = checked;
      this.lost = lost;
      this.countersBehind = countersBehind;
    }

    @Override
    public String toString() {
      return "checked=" + checked + " lost=" + lost.size() + " countersBehind=" + countersBehind;
    }
  }

  /** Reads {@code acks} and the counters directly from {@code primary}: see {@link #readBack(Function, List)}. */
  ReadBack readBack(LocalServerProcess primary, List<Ack> acks) {
    return readBack(key -> primary, acks);
  }

  /**
   * Reads {@code acks} and the counters directly from the primary serving each key (pipelined GETs on
   * admin connections). The counters are compared with what was acknowledged before the read began.
   */
  ReadBack readBack(Function<String, LocalServerProcess> primaryOf, List<Ack> acks) {
    Map<String, Long> counterAcks = new TreeMap<>();
    counters.forEach((k, v) -> counterAcks.put(k, v.get()));
    Map<LocalServerProcess, List<Ack>> byNode = new HashMap<>();
    acks.forEach(a -> byNode.computeIfAbsent(primaryOf.apply(a.key), n -> new ArrayList<>()).add(a));
    List<Ack> lost = new ArrayList<>();
    byNode.forEach((node, nodeAcks) -> {
      try (RespSocket socket = node.connect()) {
        for (int i = 0; i < nodeAcks.size(); i += 500) {
          List<Ack> chunk = nodeAcks.subList(i, Math.min(nodeAcks.size(), i + 500));
          for (Ack a : chunk) {
            socket.send("GET", a.key);
          }
          for (Ack a : chunk) {
            Object value = socket.read();
            if (!String.valueOf(a.value).equals(value)) {
              lost.add(a);
            }
          }
        }
      }
    });
    List<String> behind = new ArrayList<>();
    for (Map.Entry<String, Long> c : counterAcks.entrySet()) {
      try (RespSocket socket = primaryOf.apply(c.getKey()).connect()) {
        Object value = socket.call("GET", c.getKey());
        long now = value == null ? 0 : Long.parseLong(value.toString());
        if (now < c.getValue()) {
          behind.add(c.getKey() + ": acknowledged " + c.getValue() + ", now " + now);
        }
      }
    }
    return new ReadBack(acks.size(), lost, behind);
  }

  @Override
  public String toString() {
    return "issued=" + issued + " completed=" + completed + " acknowledgedWrites=" + writes.size() + " maxLatencyMs="
        + maxLatencyMs + " wrongReads=" + wrongReads + " outcomes=" + outcomeCounts() + " firstMessages=" + firstMessages;
  }
}
