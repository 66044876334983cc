package io.cachex.examples;

import io.cachex.api.CachexService;
import io.cachex.api.LockKeeper;
import io.cachex.api.LockLease;
import io.cachex.api.LockOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Two Vert.x nodes compete for one job. Every {@code everyMs} each node tries a non-blocking
 * {@code acquireLock}; the winner keeps its lease alive with a {@link LockKeeper} while the job
 * runs, and hands the lease's fencing token to the protected resource, which refuses a write with
 * a smaller token than one it has already seen (a holder whose lease ran out while it was paused).
 * Here both nodes live in one JVM, each with its own service against the same Redis and key prefix,
 * exactly as two machines would be.
 */
public final class LeasedJobExample {
  static final String LOCK = "nightly-report";

  /**
   * The resource: a Redis key guarded by its highest fencing token so far. Writes with a smaller
   * token are refused; {1, token} = written, {0, highest} = refused.
   */
  static final String FENCED_WRITE = """
      local highest = tonumber(redis.call('GET', KEYS[2]) or '0')
      local token = tonumber(ARGV[1])
      if token < highest then
        return {0, highest}
      end
      redis.call('SET', KEYS[2], ARGV[1])
      redis.call('SET', KEYS[1], ARGV[2])
      return {1, token}
      """;

  /** One run of the job, as seen by the node that ran it. */
  public record Run(String node, long fencingToken, long startNanos, long endNanos, boolean written, boolean renewed, boolean lost) {
  }

  private LeasedJobExample() {
  }

  /** Writes {@code value} to the resource with {@code fencingToken}; true when the resource accepted it. */
  public static Future<Boolean> writeResource(CachexService cache, long fencingToken, String value) {
    return cache.evalScript(FENCED_WRITE, List.of("report-output", "report-output:fence"),
            new JsonArray().add(fencingToken).add(value), "full_encode_pre", null, null)
        .map(reply -> ((JsonArray) reply).getLong(0) == 1L);
  }

  /** A node that tries to run the job (taking {@code jobMs}) every {@code everyMs} under a lease of {@code leaseMs}, until {@link #stop()}. */
  public static final class Node {
    private final Vertx vertx;
    private final CachexService cache;
    private final String name;
    private final long jobMs;
    private final long leaseMs;
    private final List<Run> runs;
    private final long timer;
    private boolean busy;

    public Node(Vertx vertx, CachexService cache, String name, long everyMs, long jobMs, long leaseMs, List<Run> runs) {
      this.vertx = vertx;
      this.cache = cache;
      this.name = name;
      this.jobMs = jobMs;
      this.leaseMs = leaseMs;
      this.runs = runs;
      this.timer = vertx.setPeriodic(everyMs, id -> tryRun());
    }

    private void tryRun() {
      if (busy) {
        return; // this node is still running the job
      }
      busy = true;
      LockOptions options = new LockOptions().setLeaseMs(leaseMs).setBlocking(false);
      cache.acquireLock(LOCK, options).compose(lease -> lease == null ? Future.succeededFuture() : runJob(lease))
          .onFailure(err -> System.out.println(name + ": " + err.getMessage()))
          .onComplete(done -> busy = false);
    }

    private Future<Void> runJob(LockLease lease) {
      long start = System.nanoTime();
      long token = lease.getFencingToken();
      LockKeeper keeper = LockKeeper.start(vertx, cache, lease); // renews every leaseMs / 3
      keeper.lost().onSuccess(cause -> System.out.println(name + ": lost the lease: " + cause.getMessage()));
      return writeResource(cache, token, "report by " + name + " (token " + token + ")")
          .compose(written -> vertx.timer(jobMs).map(written)) // the job's work
          .compose(written -> {
            boolean renewed = keeper.lease().getExpiresAt() > lease.getExpiresAt();
            runs.add(new Run(name, token, start, System.nanoTime(), written, renewed, keeper.isLost()));
            System.out.printf("%s ran the job with fencing token %d (lease renewed by the keeper: %s, resource %s)%n",
                name, token, renewed ? "yes" : "no", written ? "accepted" : "refused");
            return keeper.release();
          });
    }

    public void stop() {
      vertx.cancelTimer(timer);
    }
  }

  /** How many runs started before the previous one (in start order) ended. */
  public static long overlaps(List<Run> runs) {
    List<Run> byStart = runs.stream().sorted(Comparator.comparingLong(Run::startNanos)).toList();
    long n = 0;
    for (int i = 1; i < byStart.size(); i++) {
      if (byStart.get(i).startNanos() < byStart.get(i - 1).endNanos()) {
        n++;
      }
    }
    return n;
  }

  public static void main(String[] args) throws InterruptedException {
    try (ExampleSupport example = ExampleSupport.start()) {
      String prefix = "leased-" + System.currentTimeMillis(); // a fresh lock and fencing counter per run
      CachexService cacheA = example.newNode(prefix); // node A: its own Vert.x and service
      CachexService cacheB = example.newNode(prefix); // node B: same Redis, same key prefix
      List<Run> runs = new CopyOnWriteArrayList<>();
      // the job takes 300 ms under a 600 ms lease: the keeper renews it at 200 ms
      Node a = new Node(example.vertx(0), cacheA, "node-A", 100, 300, 600, runs);
      Node b = new Node(example.vertx(1), cacheB, "node-B", 70, 300, 600, runs);
      Thread.sleep(2_000);
      a.stop();
      b.stop();
      Thread.sleep(700); // let a running job finish

      System.out.println(runs.size() + " runs, " + overlaps(runs) + " of them overlapping another; resource holds: "
          + cacheA.get("report-output").await());
      long stale = runs.get(0).fencingToken();
      System.out.println("a paused holder writing with old token " + stale + " → "
          + (writeResource(cacheB, stale, "stale report").await() ? "accepted" : "refused"));
    }
  }
}
