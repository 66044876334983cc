package io.cachex.bench;

import java.util.ArrayList;
import java.util.List;

/** One cell row of the benchmark: an operation kind, a value size and how many requests are in flight. */
public final class Workload {
  public enum Kind {
    GET("get"), SET("set"), GET_MANY("getMany/MGET 100 keys"), SET_MANY("setMany/MSET 100 keys"), INCR("incr"),
    HASH("hash: hset/hget alternating"), LIST("list: lpush/rpop alternating"), LOCK("lock: acquire+release cycle");

    public final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** Keys of the pre-loaded read key space (get, getMany). */
  public static final int KEYSPACE = 1000;
  /** Keys per getMany/setMany call. */
  public static final int BATCH = 100;

  public final Kind kind;
  public final int valueSize;
  public final int inFlight;

  public Workload(Kind kind, int valueSize, int inFlight) {
    this.kind = kind;
    this.valueSize = valueSize;
    this.inFlight = inFlight;
  }

  /** The table a result goes to: the workload without its in-flight count. */
  public String group() {
    switch (kind) {
      case GET:
      case SET:
        return kind.label + " " + sizeLabel(valueSize);
      default:
        return kind.label + " (" + sizeLabel(valueSize) + " values)";
    }
  }

  public String id() {
    return group() + " @" + inFlight;
  }

  static String sizeLabel(int size) {
    return size >= 1024 ? (size / 1024) + " KB" : size + " B";
  }

  /** Every workload of a run, in the order they run for each client. */
  public static List<Workload> all(int[] inFlights, int fixedInFlight) {
    List<Workload> list = new ArrayList<>();
    for (Kind k : new Kind[] {Kind.GET, Kind.SET}) {
      for (int size : new int[] {100, 10 * 1024}) {
        for (int n : inFlights) {
          list.add(new Workload(k, size, n));
        }
      }
    }
    for (Kind k : new Kind[] {Kind.GET_MANY, Kind.SET_MANY, Kind.INCR, Kind.HASH, Kind.LIST, Kind.LOCK}) {
      list.add(new Workload(k, 100, fixedInFlight));
    }
    return list;
  }

  /** A deterministic printable value of {@code size} bytes (ASCII, not trivially compressible). */
  public static String value(int size, int salt) {
    StringBuilder sb = new StringBuilder(size);
    long x = 0x9E3779B97F4A7C15L ^ salt;
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      sb.append(alphabet.charAt((int) ((x >>> 1) % alphabet.length())));
    }
    return sb.toString();
  }

  /** Key names shared by every client (cachex adds its own prefix:version: in front). */
  public static String readKey(int size, int i) {
    return "bench:r" + size + ":" + i;
  }

  public static String writeKey(int size, int slot, long seq) {
    return "bench:w" + size + ":" + ((slot * 131L + seq) % KEYSPACE);
  }

  /** Which pre-loaded key a get of (slot, seq) reads. */
  public static int readIndex(int slot, long seq) {
    return (int) ((slot * 7919L + seq) % KEYSPACE);
  }

  /** getMany/setMany key groups: 10 disjoint groups of {@link #BATCH} keys. */
  public static final int GROUPS = KEYSPACE / BATCH;

  public static int group(int slot, long seq) {
    return (int) ((slot + seq) % GROUPS);
  }

  /** Keys of a getMany (reads the pre-loaded 100 B key space). */
  public static String[] manyReadKeys(int group) {
    String[] keys = new String[BATCH];
    for (int i = 0; i < BATCH; i++) {
      keys[i] = readKey(100, group * BATCH + i);
    }
    return keys;
  }

  /** The pre-loaded entries of read group {@code group} (key → value, in key order) for values of {@code size}. */
  public static java.util.Map<String, String> readGroup(int size, int group) {
    String value = value(size, 1);
    java.util.Map<String, String> entries = new java.util.LinkedHashMap<>();
    for (int i = 0; i < BATCH; i++) {
      entries.put(readKey(size, group * BATCH + i), value);
    }
    return entries;
  }

  /** The entries a setMany/MSET of {@code group} writes. */
  public static java.util.Map<String, String> writeGroup(int group, String value) {
    java.util.Map<String, String> entries = new java.util.LinkedHashMap<>();
    for (String k : manyWriteKeys(group)) {
      entries.put(k, value);
    }
    return entries;
  }

  /** Keys of a setMany. */
  public static String[] manyWriteKeys(int group) {
    String[] keys = new String[BATCH];
    for (int i = 0; i < BATCH; i++) {
      keys[i] = "bench:m:" + (group * BATCH + i);
    }
    return keys;
  }

  /** Expiry that direct clients put on every SET, to do the work of the service's default timeout. */
  public static final int SET_TTL_SECONDS = 300;

  /** Lock lease of the lock workload. */
  public static final int LOCK_LEASE_MILLIS = 30_000;

  public static final String UNLOCK_SCRIPT =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

  public static String token(int slot, long seq) {
    return "t" + slot + "-" + seq;
  }
}
