package io.cachex.service.redis;

import io.cachex.api.contract.OperationException;
import io.cachex.api.CachexError;
import io.cachex.service.config.CachexConfig.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Which node to use under Sentinel, followed the moment the sentinels announce a change. Subscribes to
 * every sentinel (any of them may lead a failover, and only the leader announces its steps) and asks
 * all of them (the answer with the highest configuration epoch wins, so a sentinel that missed a
 * failover cannot send us back to a deposed primary). Periodic asking is only the backstop for missed
 * announcements and lost subscriptions.
 *
 * <p>Announcements followed, for the configured master name only (see docs/RELIABILITY.md):
 * <ul>
 *   <li>{@code +try-failover}, {@code +selected-slave}: a failover has begun. The replica is promoted
 *   one or two sentinel ticks (50-100 ms each) after {@code +selected-slave}, and from then on every
 *   write the old primary acknowledges is wiped when it is demoted, which Sentinel does only ~10 s
 *   after the switch, so we stop using it at once ({@link Listener#failoverStarted}).</li>
 *   <li>{@code +promoted-slave} (the leader saw the replica answer as primary: the earliest safe moment)
 *   and {@code +switch-master} (every sentinel, at the end): use the new primary.</li>
 *   <li>{@code -failover-abort-not-elected}, {@code -failover-abort-no-good-slave},
 *   {@code -failover-abort-slave-timeout}: that sentinel gave up; once no sentinel reports a failover in
 *   progress, continue where the sentinels say.</li>
 *   <li>{@code +convert-to-slave}: Sentinel demotes a node that still claims to be primary (typically a
 *   restarted old primary); if it is ours, leave it.</li>
 * </ul>
 * Not followed: {@code +sdown} (one sentinel's opinion), {@code +odown} (a primary that answers us keeps
 * our writes until a failover begins, and {@code +try-failover} follows at once when one is possible),
 * {@code +slave-reconf-*} and {@code +failover-end} (replicas being re-pointed, then {@code +switch-master}
 * in the same tick). Confined to the gateway's event loop.
 */
public final class SentinelWatch {
  private static final System.Logger LOG = System.getLogger(SentinelWatch.class.getName());
  static final List<String> CHANNELS = List.of("+try-failover", "+selected-slave", "+promoted-slave",
      "+switch-master", "-failover-abort-not-elected", "-failover-abort-no-good-slave",
      "-failover-abort-slave-timeout", "+convert-to-slave");

  /** What the gateway does with a change. */
  public interface Listener {
    /** A failover of our master has begun: stop using the current primary, wait for the new one. */
    void failoverStarted(String why);

    /** The node to use is {@code endpoint} now (also after a failover that kept the old primary). */
    void nodeChanged(String endpoint, String why);
  }

  private final Vertx vertx;
  private final RedisConfig config;
  private final Listener listener;
  private final boolean wantPrimary;
  private final List<SentinelLink> sentinels = new ArrayList<>();
  private final long refreshTimer;
  private final List<Promise<String>> waiting = new ArrayList<>();

  private String current;
  /** Highest master config epoch any sentinel reported; answers below {@link #adoptedEpoch} are stale. */
  private long maxEpochSeen = -1;
  private long adoptedEpoch = -1;
  /** Sentinels that announced a failover of our master that has not ended yet → when (nanoTime). */
  private final Map<String, Long> failoversUnderWay = new HashMap<>();
  /** Longer than any failover of the sentinels' default timings takes to announce its outcome. */
  private static final long SILENT_FAILOVER_NANOS = TimeUnit.SECONDS.toNanos(30);
  private long fencedSinceNanos;
  /** Switched by an announcement: the leader keeps reporting "failover in progress" for a while. */
  private boolean followingAnnouncedSwitch;
  private boolean resolving;
  private String lastProblem = "the sentinels were not asked yet";
  private boolean closed;

  public SentinelWatch(Vertx vertx, RedisConfig config, Listener listener) {
    this.vertx = vertx;
    this.config = config;
    this.listener = listener;
    this.wantPrimary = !"replica".equalsIgnoreCase(config.role);
    for (String endpoint : config.endpoints) {
      sentinels.add(new SentinelLink(endpoint));
    }
    if (sentinels.isEmpty()) {
      throw new IllegalArgumentException("redis.endpoints must list the sentinels when redis.type is sentinel");
    }
    sentinels.forEach(SentinelLink::subscribe);
    resolveNow();
    this.refreshTimer = vertx.setPeriodic(Math.max(50, config.topologyRefreshIntervalMs), id -> resolveNow());
  }

  /**
   * The endpoint to connect to: at once when known and no failover is under way, else once the
   * sentinels name one; fails with UNAVAILABLE after {@code redis.connectTimeoutMs}.
   */
  public Future<String> node() {
    if (closed) {
      return Future.failedFuture(new OperationException(CachexError.UNAVAILABLE, "the service is shutting down"));
    }
    if (current != null && !fenced()) {
      return Future.succeededFuture(current);
    }
    Promise<String> promise = Promise.promise();
    waiting.add(promise);
    long timer = vertx.setTimer(config.connectTimeoutMs, id -> {
      waiting.remove(promise);
      promise.tryFail(new OperationException(CachexError.UNAVAILABLE, fenced()
          ? "a failover of " + config.masterName + " is under way for " + fencedMs() + " ms; no new primary yet"
          : "no sentinel named the " + roleName() + " of " + config.masterName + " within "
              + config.connectTimeoutMs + " ms (" + lastProblem + ")"));
    });
    promise.future().onComplete(ar -> vertx.cancelTimer(timer));
    if (!fenced()) {
      resolveNow();
    }
    return promise.future();
  }

  /** Whether {@code endpoint} is still the node to use (a connection opened to it may be handed over). */
  public boolean isCurrent(String endpoint) {
    return !closed && !fenced() && endpoint.equals(current);
  }

  /** A connection found {@code endpoint} in the wrong role: ask the sentinels again now. */
  public void refuted(String endpoint, String why) {
    LOG.log(System.Logger.Level.INFO, "cachex: {0} {1}; asking the sentinels of {2} again",
        redact(endpoint), why, config.masterName);
    resolveNow();
  }

  /** Whether a failover announced by a sentinel is under way (commands wait for its outcome). */
  public boolean fenced() {
    return !failoversUnderWay.isEmpty();
  }

  public void close() {
    closed = true;
    vertx.cancelTimer(refreshTimer);
    sentinels.forEach(SentinelLink::close);
    OperationException shutdown = new OperationException(CachexError.UNAVAILABLE, "the service is shutting down");
    new ArrayList<>(waiting).forEach(p -> p.tryFail(shutdown));
    waiting.clear();
  }

  // ---------------------------------------------------------------- announcements

  void onAnnouncement(SentinelLink from, String channel, String payload) {
    String[] t = payload.split(" ");
    if (!config.masterName.equals(masterName(channel, t))) {
      return; // another master monitored by the same sentinels
    }
    String source = channel + " from sentinel " + from.address;
    switch (channel) {
      case "+try-failover":
      case "+selected-slave":
        // only a failover of the node we use (a late announcement of one we already followed is not)
        if (wantPrimary && (current == null || current.equals(failingMaster(t)))) {
          startFence(from.address, source);
        }
        break;
      case "+promoted-slave":
        switchTo(endpoint(t[2], t[3]), source);
        break;
      case "+switch-master":
        switchTo(endpoint(t[3], t[4]), source);
        break;
      case "+convert-to-slave":
        if (endpoint(t[2], t[3]).equals(current)) {
          // Sentinel demotes the node we use: leave it; reconnecting asks the sentinels and checks ROLE
          LOG.log(System.Logger.Level.INFO, "cachex: {0}: leaving {1}", source, redact(current));
          listener.failoverStarted(source);
          resolveNow();
        }
        break;
      default: // -failover-abort-*
        if (failoversUnderWay.remove(from.address) != null && failoversUnderWay.isEmpty()) {
          LOG.log(System.Logger.Level.INFO, "cachex: {0}; asking the sentinels where to continue", source);
        }
        resolveNow();
    }
  }

  /** The master being failed over: "master NAME ip port" or "slave ... @ NAME ip port". */
  private String failingMaster(String[] t) {
    if ("master".equals(t[0]) && t.length >= 4) {
      return endpoint(t[2], t[3]);
    }
    for (int i = 0; i + 3 < t.length; i++) {
      if ("@".equals(t[i])) {
        return endpoint(t[i + 2], t[i + 3]);
      }
    }
    return null;
  }

  /** Master name in an announcement: "+switch-master NAME ...", "master NAME ip port", "slave ... @ NAME ip port". */
  static String masterName(String channel, String[] t) {
    if ("+switch-master".equals(channel)) {
      return t[0];
    }
    if (t.length >= 2 && "master".equals(t[0])) {
      return t[1];
    }
    for (int i = 0; i + 1 < t.length; i++) {
      if ("@".equals(t[i])) {
        return t[i + 1];
      }
    }
    return null;
  }

  private void startFence(String sentinel, String why) {
    boolean wasFenced = fenced();
    failoversUnderWay.putIfAbsent(sentinel, System.nanoTime());
    if (!wasFenced) {
      fencedSinceNanos = System.nanoTime();
      followingAnnouncedSwitch = false;
      LOG.log(System.Logger.Level.INFO, "cachex: failover of {0} began ({1}): leaving {2}, commands wait for the new primary",
          config.masterName, why, current == null ? "no primary yet" : redact(current));
      listener.failoverStarted(why);
    }
  }

  private void switchTo(String endpoint, String why) {
    long fencedMs = fenced() ? fencedMs() : -1;
    // no epoch in the announcement: any answer from before this failover carries at most maxEpochSeen
    adoptedEpoch = Math.max(adoptedEpoch, maxEpochSeen + 1);
    followingAnnouncedSwitch = true;
    if (use(endpoint, why) && fencedMs >= 0) {
      LOG.log(System.Logger.Level.INFO, "cachex: commands of {0} waited {1} ms for the new primary", config.masterName, Long.toString(fencedMs));
    }
  }

  /** Makes {@code endpoint} the node to use and ends any fence; returns whether anything changed. */
  private boolean use(String endpoint, String why) {
    boolean wasFenced = fenced();
    failoversUnderWay.clear();
    String old = current;
    current = endpoint;
    boolean changed = !endpoint.equals(old) || wasFenced;
    if (changed && old != null) {
      LOG.log(System.Logger.Level.INFO, "cachex: {0} of {1} is {2} ({3})", roleName(), config.masterName,
          redact(endpoint), why);
      listener.nodeChanged(endpoint, why);
    }
    List<Promise<String>> ready = new ArrayList<>(waiting);
    waiting.clear();
    ready.forEach(p -> p.tryComplete(endpoint));
    return changed;
  }

  // ---------------------------------------------------------------- asking the sentinels

  private void resolveNow() {
    if (resolving || closed) {
      return;
    }
    resolving = true;
    long startedNanos = System.nanoTime();
    List<Future<Map<String, String>>> asks = new ArrayList<>();
    for (SentinelLink s : sentinels) {
      asks.add(s.askMaster());
    }
    Future.join(asks).onComplete(ar -> {
      resolving = false;
      if (closed) {
        return;
      }
      Map<String, Map<String, String>> answers = new HashMap<>();
      List<String> problems = new ArrayList<>();
      for (int i = 0; i < asks.size(); i++) {
        Future<Map<String, String>> f = asks.get(i);
        if (f.succeeded()) {
          answers.put(sentinels.get(i).address, f.result());
        } else {
          problems.add(sentinels.get(i).address + ": " + PipelinedLane.describe(f.cause()));
        }
      }
      if (answers.isEmpty()) {
        lastProblem = "no sentinel answered: " + String.join("; ", problems);
        return;
      }
      adopt(answers, startedNanos);
    });
  }

  /** Sentinel address → its answer to SENTINEL MASTER; {@code startedNanos}: when they were asked. */
  private void adopt(Map<String, Map<String, String>> answers, long startedNanos) {
    Map<String, String> best = null;
    String inProgressAt = null;
    for (Map.Entry<String, Map<String, String>> e : answers.entrySet()) {
      Map<String, String> a = e.getValue();
      long epoch = epoch(a);
      maxEpochSeen = Math.max(maxEpochSeen, epoch);
      if (inProgress(a)) {
        inProgressAt = e.getKey();
      }
      if (best == null || epoch > epoch(best)) {
        best = a;
      }
    }
    if (!wantPrimary) {
      pickReplica();
      return;
    }
    endFinishedFailovers(answers, startedNanos);
    if (inProgressAt != null) {
      // a failover we may not have heard announced (subscription lost): wait for its outcome, unless an
      // announcement already gave us the new primary and the leader is only re-pointing replicas
      if (!followingAnnouncedSwitch && !fenced()) {
        startFence(inProgressAt, "sentinel " + inProgressAt + " reports a failover in progress");
      }
      return;
    }
    if (fenced()) {
      return; // a sentinel that announced a failover has not said it is over
    }
    if (epoch(best) < adoptedEpoch) {
      return; // sentinels that have not learned of the failover we followed yet
    }
    adoptedEpoch = epoch(best);
    followingAnnouncedSwitch = false;
    use(endpoint(best.get("ip"), best.get("port")), "the sentinels name it, config epoch " + epoch(best));
  }

  /**
   * A failover announced by a sentinel is over once that sentinel, asked after the announcement,
   * reports none in progress; an answer from the others cannot tell (only the leader knows). A
   * sentinel that stays silent is given up on after {@link #SILENT_FAILOVER_NANOS}.
   */
  private void endFinishedFailovers(Map<String, Map<String, String>> answers, long startedNanos) {
    long now = System.nanoTime();
    failoversUnderWay.entrySet().removeIf(e -> {
      Map<String, String> answer = answers.get(e.getKey());
      if (answer != null) {
        return startedNanos > e.getValue() && !inProgress(answer);
      }
      if (now - e.getValue() > SILENT_FAILOVER_NANOS) {
        LOG.log(System.Logger.Level.INFO, "cachex: sentinel {0} announced a failover of {1} and has not answered since;"
            + " no longer waiting for it", e.getKey(), config.masterName);
        return true;
      }
      return false;
    });
  }

  private static boolean inProgress(Map<String, String> answer) {
    return answer.getOrDefault("flags", "").contains("failover_in_progress");
  }

  /** Role replica: keep the current replica while the sentinels still list it healthy, else pick another. */
  private void pickReplica() {
    SentinelLink s = sentinels.get(ThreadLocalRandom.current().nextInt(sentinels.size()));
    s.ask(Request.cmd(Command.SENTINEL).arg("REPLICAS").arg(config.masterName)).onSuccess(reply -> {
      List<String> healthy = new ArrayList<>();
      for (Response r : reply) {
        Map<String, String> f = fields(r);
        String flags = f.getOrDefault("flags", "");
        if (!flags.contains("down") && !flags.contains("disconnected") && "ok".equals(f.get("master-link-status"))) {
          healthy.add(endpoint(f.get("ip"), f.get("port")));
        }
      }
      if (healthy.isEmpty()) {
        lastProblem = "no healthy replica of " + config.masterName;
      } else if (current == null || !healthy.contains(current)) {
        use(healthy.get(ThreadLocalRandom.current().nextInt(healthy.size())), "a healthy replica");
      }
    });
  }

  private static long epoch(Map<String, String> answer) {
    try {
      return Long.parseLong(answer.getOrDefault("config-epoch", "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A data node's endpoint: scheme, credentials and database of the first configured endpoint, at ip:port. */
  String endpoint(String ip, String port) {
    URI base = URI.create(config.endpoints.get(0));
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    return base.getScheme() + "://" + (base.getRawUserInfo() == null ? "" : base.getRawUserInfo() + "@")
        + host + ":" + port + (base.getRawPath() == null ? "" : base.getRawPath());
  }

  private long fencedMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fencedSinceNanos);
  }

  private String roleName() {
    return wantPrimary ? "primary" : "replica";
  }

  static String redact(String endpoint) {
    int at = endpoint.indexOf('@');
    int scheme = endpoint.indexOf("://");
    return at < 0 || scheme < 0 ? endpoint : endpoint.substring(0, scheme + 3) + "***" + endpoint.substring(at);
  }

  static Map<String, String> fields(Response flat) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      Response v = flat.get(i + 1);
      m.put(flat.get(i).toString(), v == null ? null : v.toString());
    }
    return m;
  }

  /** One sentinel: a subscription to its announcements and a connection to ask it. */
  final class SentinelLink {
    final String address;
    private final Redis client;
    private RedisConnection subscription;
    private long retryDelay = config.reconnectDelayMs;
    private boolean subscribing;

    SentinelLink(String endpoint) {
      URI uri = URI.create(endpoint);
      this.address = uri.getHost() + ":" + uri.getPort();
      this.client = Redis.createClient(vertx, RedisGateway.options(config, 2, 16)
          .setType(RedisClientType.STANDALONE).setEndpoints(new ArrayList<>(List.of(endpoint))));
    }

    Future<Map<String, String>> askMaster() {
      return ask(Request.cmd(Command.SENTINEL).arg("MASTER").arg(config.masterName)).map(SentinelWatch::fields);
    }

    Future<Response> ask(Request request) {
      return client.send(request).timeout(config.connectTimeoutMs, TimeUnit.MILLISECONDS);
    }

    void subscribe() {
      if (closed || subscribing || subscription != null) {
        return;
      }
      subscribing = true;
      client.connect().compose(c -> {
        c.handler(message -> {
          // RESP2 push: ["message", channel, payload]; subscribe confirmations are ["subscribe", channel, n]
          if (message != null && message.size() == 3 && "message".equals(message.get(0).toString())) {
            onAnnouncement(this, message.get(1).toString(), message.get(2).toString());
          }
        });
        c.exceptionHandler(err -> lost(c, PipelinedLane.describe(err)));
        c.endHandler(v -> lost(c, "connection closed"));
        Request subscribe = Request.cmd(Command.SUBSCRIBE);
        CHANNELS.forEach(subscribe::arg);
        return c.send(subscribe).map(c).timeout(config.connectTimeoutMs, TimeUnit.MILLISECONDS)
            .onFailure(err -> c.close());
      }).onComplete(ar -> {
        subscribing = false;
        if (ar.failed()) {
          LOG.log(System.Logger.Level.DEBUG, "cachex: cannot subscribe to sentinel " + address + ": "
              + PipelinedLane.describe(ar.cause()));
          retryLater();
        } else if (closed) {
          ar.result().close();
        } else {
          subscription = ar.result();
          retryDelay = config.reconnectDelayMs;
          resolveNow(); // announcements may have been missed while we were not listening
        }
      });
    }

    private void lost(RedisConnection c, String why) {
      if (subscription == c) {
        subscription = null;
        LOG.log(System.Logger.Level.DEBUG, "cachex: lost the subscription to sentinel " + address + ": " + why);
        retryLater();
      }
    }

    private void retryLater() {
      if (closed) {
        return;
      }
      long delay = retryDelay;
      retryDelay = Math.min(config.maxReconnectDelayMs, retryDelay * 2);
      vertx.setTimer(Math.max(1, delay), id -> subscribe());
    }

    void close() {
      if (subscription != null) {
        subscription.close();
        subscription = null;
      }
      client.close();
    }
  }

  @Override
  public String toString() {
    return "sentinel watch of " + config.masterName + " (" + roleName() + " " + (current == null ? "unknown" : redact(current))
        + (fenced() ? ", failover under way" : "") + ")";
  }
}
