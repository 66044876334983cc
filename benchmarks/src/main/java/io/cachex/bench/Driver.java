package io.cachex.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed loop: {@code inFlight} slots, each issues its next request when the previous one completes.
 * Warmup, then a measured window; latency goes to an HdrHistogram {@link Recorder} (wait-free for the
 * completing threads). Bounded in time and in operations; the slots stop by themselves.
 */
public final class Driver {

  /** Completion of one request; {@code error} null on success. May be called on any thread, or inline. */
  public interface Callback {
    void done(Throwable error);
  }

  /** One request of a workload for a slot ({@code seq} counts that slot's requests). */
  public interface Op {
    void run(int slot, long seq, Callback cb);

    /** An op of a client whose requests return CompletionStages (Lettuce, Redisson). */
    static Op ofStage(java.util.function.BiFunction<Integer, Long, java.util.concurrent.CompletionStage<?>> request) {
      return (slot, seq, cb) -> request.apply(slot, seq).whenComplete((r, e) -> cb.done(e));
    }
  }

  /** Where the first request of each slot is issued: an event loop, the caller, or one thread per slot. */
  public interface Issuer {
    void execute(Runnable task);

    /** True for blocking clients: each slot gets a thread of its own. */
    default boolean threadPerSlot() {
      return false;
    }
  }

  public static final class Result {
    public final Workload workload;
    public final String client;
    public final long ops;
    public final double seconds;
    public final Histogram latencyNanos;
    public final long errors;
    public final String firstError;
    public final long completedTotal;
    public final boolean drained;
    public double serverCommandsPerOp = Double.NaN;
    /** CPU time of this JVM (driver, client and, for cachex, the service and bus) during the window, ns. */
    public long jvmCpuNanos = -1;
    /** CPU time of the server process during the window, µs, or -1. */
    public long serverCpuMicros = -1;
    /** Write system calls of this JVM during the window (sockets: to Redis, and between cluster members), or -1. */
    public long jvmWriteCalls = -1;

    /** Write system calls of this JVM per successful op in the window. */
    public double jvmWritesPerOp() {
      return jvmWriteCalls < 0 || ops == 0 ? Double.NaN : jvmWriteCalls / (double) ops;
    }

    /** JVM CPU µs per successful op in the window. */
    public double jvmCpuMicrosPerOp() {
      return jvmCpuNanos < 0 || ops == 0 ? Double.NaN : jvmCpuNanos / 1000.0 / ops;
    }

    public double serverCpuMicrosPerOp() {
      return serverCpuMicros < 0 || ops == 0 ? Double.NaN : serverCpuMicros / (double) ops;
    }

    Result(Workload workload, String client, long ops, double seconds, Histogram latencyNanos, long errors,
           String firstError, long completedTotal, boolean drained) {
      this.workload = workload;
      this.client = client;
      this.ops = ops;
      this.seconds = seconds;
      this.latencyNanos = latencyNanos;
      this.errors = errors;
      this.firstError = firstError;
      this.completedTotal = completedTotal;
      this.drained = drained;
    }

    public double opsPerSecond() {
      return seconds <= 0 ? 0 : ops / seconds;
    }

    public double p50Micros() {
      return latencyNanos.getTotalCount() == 0 ? Double.NaN : latencyNanos.getValueAtPercentile(50) / 1000.0;
    }

    public double p99Micros() {
      return latencyNanos.getTotalCount() == 0 ? Double.NaN : latencyNanos.getValueAtPercentile(99) / 1000.0;
    }
  }

  private static final long MAX_TRACKABLE = TimeUnit.SECONDS.toNanos(60);

  private final Recorder recorder = new Recorder(MAX_TRACKABLE, 3);
  private final AtomicLong issued = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private volatile boolean running = true;
  private final long maxOps;
  private CountDownLatch stopped;

  private Driver(long maxOps) {
    this.maxOps = maxOps;
  }

  /** Runs one workload cell and returns its measured window. */
  public static Result run(String client, Workload w, Op op, Issuer issuer, Settings s) throws InterruptedException {
    Driver d = new Driver(s.maxOpsPerCell);
    d.stopped = new CountDownLatch(w.inFlight);
    Slot[] slots = new Slot[w.inFlight];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = d.new Slot(i, op);
    }
    if (issuer.threadPerSlot()) {
      for (Slot slot : slots) {
        Thread t = new Thread(slot::issue, "bench-" + client + "-" + slot.index);
        t.setDaemon(true);
        t.start();
      }
    } else {
      issuer.execute(() -> {
        for (Slot slot : slots) {
          slot.issue();
        }
      });
    }
    d.sleepUnlessStopped(s.warmupMillis);
    d.recorder.getIntervalHistogram(); // throw the warmup away
    long cpu0 = processCpuNanos();
    long w0 = writeCalls();
    long srv0 = s.serverCpuMicros.getAsLong();
    long t0 = System.nanoTime();
    long c0 = d.completed.get();
    d.sleepUnlessStopped(s.measureMillis);
    // slow cells (short windows, busy machine): extend the window until it holds a minimum of samples, bounded
    long minSamples = Math.max(50, 2L * w.inFlight);
    long extendUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(2000, s.measureMillis));
    while (d.running && d.completed.get() - c0 < minSamples && System.nanoTime() < extendUntil) {
      Thread.sleep(10);
    }
    Histogram h = d.recorder.getIntervalHistogram();
    long t1 = System.nanoTime();
    long cpu1 = processCpuNanos();
    long w1 = writeCalls();
    long srv1 = s.serverCpuMicros.getAsLong();
    d.running = false;
    boolean drained = d.stopped.await(s.drainMillis, TimeUnit.MILLISECONDS);
    Result r = new Result(w, client, h.getTotalCount(), (t1 - t0) / 1e9, h, d.errors.get(), d.firstError.get(),
        d.completed.get(), drained);
    r.jvmCpuNanos = cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0;
    r.serverCpuMicros = srv0 < 0 || srv1 < 0 ? -1 : srv1 - srv0;
    r.jvmWriteCalls = w0 < 0 || w1 < 0 ? -1 : w1 - w0;
    return r;
  }

  /** Write system calls this JVM has made so far ({@code syscw} of /proc/self/io), or -1 off Linux. */
  static long writeCalls() {
    try {
      for (String l : java.nio.file.Files.readAllLines(java.nio.file.Paths.get("/proc/self/io"))) {
        if (l.startsWith("syscw:")) {
          return Long.parseLong(l.substring(6).trim());
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  /** CPU time this JVM has used so far (all threads), ns; -1 when the platform does not say. */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
  }

  private void sleepUnlessStopped(long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (running && System.nanoTime() < end) {
      Thread.sleep(Math.min(20, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
    }
  }

  /**
   * One request in flight. A request that completes inline (on the issuing thread, during {@code run})
   * makes the issuing loop go round again instead of recursing; the state CAS settles the race between
   * "run returned" and "the callback arrived on another thread".
   */
  private final class Slot implements Callback {
    private static final int IDLE = 0;
    private static final int IN_CALL = 1;
    private static final int DONE_INLINE = 2;

    final int index;
    final Op op;
    final AtomicInteger state = new AtomicInteger(IDLE);
    long seq;
    volatile long start;

    Slot(int index, Op op) {
      this.index = index;
      this.op = op;
    }

    void issue() {
      while (true) {
        if (!running || issued.incrementAndGet() > maxOps) {
          running = false;
          stopped.countDown();
          return;
        }
        state.set(IN_CALL);
        start = System.nanoTime();
        try {
          op.run(index, seq++, this);
        } catch (Throwable t) {
          done(t);
        }
        if (state.compareAndSet(IN_CALL, IDLE)) {
          return; // the callback will come later, and issue the next request itself
        }
        // completed inline: go round
      }
    }

    @Override
    public void done(Throwable error) {
      long latency = System.nanoTime() - start;
      completed.incrementAndGet();
      if (error == null) {
        recorder.recordValue(Math.min(Math.max(latency, 1), MAX_TRACKABLE));
      } else {
        errors.incrementAndGet();
        firstError.compareAndSet(null, String.valueOf(error));
      }
      if (state.compareAndSet(IN_CALL, DONE_INLINE)) {
        return;
      }
      issue();
    }
  }
}
