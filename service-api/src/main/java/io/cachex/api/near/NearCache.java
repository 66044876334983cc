package io.cachex.api.near;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cachex.api.CachexService;
import io.cachex.api.contract.ActionSpec;
import io.cachex.api.contract.Actions;
import io.cachex.api.contract.Param;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A near cache in front of a {@link CachexService} (usually the generated proxy): {@code get},
 * {@code getMany} and {@code hasKey} are answered from this process's memory when it holds the answer,
 * with no event-bus message and no Redis round trip; every other action passes through. Writes through
 * it drop the keys they name from its memory before they are sent and again when they are acknowledged.
 *
 * <p>It stays coherent with Valkey/Redis through the invalidations the service publishes (service option
 * {@code nearCache.enabled}; {@link Invalidations}): the keys any client changed, flushes, and heartbeats.
 * It answers from memory only while it hears heartbeats; a read whose key was invalidated (or the cache
 * flushed) while the read was on its way is returned but not kept. docs/NEAR-CACHE.md states the guarantee.
 *
 * <p>Which actions it answers and which keys a write touches are read from the contract's traits
 * ({@link Actions}), never listed per method. Thread-safe: one instance may serve every verticle of a node.
 *
 * <pre>{@code
 * CachexService cache = NearCache.wrap(vertx, "cachex", CachexService.createProxy(vertx, "cachex"), new NearCacheOptions());
 * }</pre>
 */
public final class NearCache implements InvocationHandler {
  private static final Actions ACTIONS = Actions.cachex();
  /** The reads answered from memory. */
  private static final Set<String> NEAR_READS = Set.of("get", "getMany", "hasKey");

  private final Vertx vertx;
  private final CachexService delegate;
  private final NearCacheOptions options;
  private final long maxAgeNanos;
  private final Cache<String, Map<String, Entry>> l1;
  private final CachexService service;
  private final MessageConsumer<JsonObject> consumer;
  private final long timer;

  // guarded by this
  private final Map<String, SourceState> sources = new HashMap<>();
  private final Map<String, List<Pending>> inflight = new HashMap<>();
  private final Map<String, Long> flushes = new TreeMap<>();
  private volatile boolean serving;
  private volatile boolean closed;
  private volatile io.vertx.core.Handler<String> dropHandler;

  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong invalidations = new AtomicLong();
  private final AtomicLong notKept = new AtomicLong();

  /** One answer held: the value (null for a missing key) and when it was read. */
  private record Entry(Object value, long readAtNanos) {
  }

  /** A read on its way to Valkey/Redis; dirty once its key was invalidated or the cache flushed meanwhile. */
  private static final class Pending {
    boolean dirty;
  }

  private record SourceState(long epoch, long lastHeartbeatNanos) {
  }

  private NearCache(Vertx vertx, String serviceAddress, CachexService delegate, NearCacheOptions options) {
    this.vertx = vertx;
    this.delegate = delegate;
    this.options = options;
    this.maxAgeNanos = TimeUnit.MILLISECONDS.toNanos(options.getMaxAgeMs());
    this.l1 = Caffeine.newBuilder()
        .maximumSize(options.getMaxEntries())
        .expireAfterWrite(options.getMaxAgeMs(), TimeUnit.MILLISECONDS)
        .recordStats()
        .build();
    this.service = (CachexService) Proxy.newProxyInstance(CachexService.class.getClassLoader(), new Class<?>[]{CachexService.class}, this);
    String address = options.getInvalidationAddress() != null ? options.getInvalidationAddress() : serviceAddress + Invalidations.ADDRESS_SUFFIX;
    this.consumer = vertx.eventBus().consumer(address, this::onMessage);
    this.timer = vertx.setPeriodic(Math.max(10, options.getHeartbeatTimeoutMs() / 4), id -> checkHeartbeats());
  }

  /** A near cache over {@code delegate}, a service at {@code serviceAddress}; {@link #service()} is the cache to call. */
  public static NearCache create(Vertx vertx, String serviceAddress, CachexService delegate, NearCacheOptions options) {
    return new NearCache(vertx, serviceAddress, delegate, options == null ? new NearCacheOptions() : options);
  }

  /** {@code create(...).service()}: the one-line change for a caller of the plain proxy. */
  public static CachexService wrap(Vertx vertx, String serviceAddress, CachexService delegate, NearCacheOptions options) {
    return create(vertx, serviceAddress, delegate, options).service();
  }

  /** The near cache behind a service returned by {@link #wrap}, or null when {@code service} is not one. */
  public static NearCache of(CachexService service) {
    if (Proxy.isProxyClass(service.getClass()) && Proxy.getInvocationHandler(service) instanceof NearCache) {
      return (NearCache) Proxy.getInvocationHandler(service);
    }
    return null;
  }

  /** The service to call: near reads, writes that drop what they touch, everything else passed through. */
  public CachexService service() {
    return service;
  }

  /** Whether it answers from memory now: a service instance's heartbeat came within {@code heartbeatTimeoutMs}. */
  public boolean serving() {
    return serving;
  }

  /** Hits, misses, evictions, invalidations received, flushes by cause and entry count. */
  public synchronized JsonObject stats() {
    JsonObject f = new JsonObject();
    flushes.forEach(f::put);
    return new JsonObject()
        .put("hits", hits.get())
        .put("misses", misses.get())
        .put("evictions", l1.stats().evictionCount())
        .put("invalidations", invalidations.get())
        .put("notKept", notKept.get())
        .put("flushes", f)
        .put("entries", l1.estimatedSize())
        .put("serving", serving)
        .put("sources", sources.size());
  }

  /** Drops everything held (counted as a flush of cause {@code cause}). */
  public synchronized void flush(String cause) {
    l1.invalidateAll();
    inflight.values().forEach(list -> list.forEach(p -> p.dirty = true));
    flushes.merge(cause, 1L, Long::sum);
    notifyDrop(null);
  }

  /**
   * Called, under the cache's lock, after a key was dropped (its caller key) or everything was (null):
   * from then on, reads of it go to Valkey/Redis. For observing the cache (tests, tracing); keep it short.
   */
  public NearCache dropHandler(io.vertx.core.Handler<String> handler) {
    this.dropHandler = handler;
    return this;
  }

  private void notifyDrop(String key) {
    io.vertx.core.Handler<String> h = dropHandler;
    if (h != null) {
      h.handle(key);
    }
  }

  /** Stops listening and drops everything; the service it returned then passes every call through. */
  public void close() {
    closed = true;
    vertx.cancelTimer(timer);
    consumer.unregister();
    synchronized (this) {
      sources.clear();
      serving = false;
      flush("closed");
    }
  }

  // ---- invalidations ----

  private void onMessage(Message<JsonObject> message) {
    JsonObject m = message.body();
    if (m == null || closed) {
      return;
    }
    String type = m.getString(Invalidations.TYPE);
    String source = m.getString(Invalidations.SOURCE);
    Long epoch = m.getLong(Invalidations.EPOCH);
    if (type == null || source == null || epoch == null) {
      return;
    }
    synchronized (this) {
      SourceState known = sources.get(source);
      if (known != null && known.epoch != epoch) {
        // the source re-established its tracking: what happened in between may not have been told
        sources.remove(source);
        flush("epoch");
      }
      switch (type) {
        case Invalidations.INVALIDATE:
          JsonArray keys = m.getJsonArray(Invalidations.KEYS, new JsonArray());
          for (Object k : keys) {
            if (k instanceof String) {
              drop((String) k);
            }
          }
          invalidations.addAndGet(keys.size());
          break;
        case Invalidations.FLUSH:
          // its tracking is down until a heartbeat of a new epoch: answer nothing from memory on its word
          sources.remove(source);
          flush("service");
          break;
        case Invalidations.HEARTBEAT:
          sources.put(source, new SourceState(epoch, System.nanoTime()));
          break;
        default:
          break;
      }
      serving = !sources.isEmpty() && !closed;
    }
  }

  private synchronized void checkHeartbeats() {
    long limit = TimeUnit.MILLISECONDS.toNanos(options.getHeartbeatTimeoutMs());
    long now = System.nanoTime();
    boolean missed = false;
    for (Iterator<SourceState> it = sources.values().iterator(); it.hasNext(); ) {
      if (now - it.next().lastHeartbeatNanos > limit) {
        it.remove();
        missed = true;
      }
    }
    if (missed) {
      flush("heartbeat");
    }
    serving = !sources.isEmpty() && !closed;
  }

  /** Drops one caller key (every version and every kind of answer) and spoils the reads of it on their way. */
  private void drop(String key) {
    l1.invalidate(key);
    List<Pending> list = inflight.get(key);
    if (list != null) {
      list.forEach(p -> p.dirty = true);
    }
    notifyDrop(key);
  }

  // ---- the proxy ----

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      switch (method.getName()) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "NearCache(" + delegate + ")";
        default:
          return invokeOn(delegate, method, args);
      }
    }
    if (method.isDefault()) {
      // Java conveniences run here and call the actions below through the proxy
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    ActionSpec spec = ACTIONS.find(method.getName());
    if (spec == null || !spec.method().equals(method)) {
      return invokeOn(delegate, method, args);
    }
    if (NEAR_READS.contains(spec.name()) && spec.reads()) {
      switch (spec.name()) {
        case "get":
          return get((String) args[0], (Integer) args[1], args[2], (JsonArray) args[3]);
        case "hasKey":
          return hasKey((String) args[0], (Integer) args[1]);
        default:
          @SuppressWarnings("unchecked") List<String> keys = (List<String>) args[0];
          return getMany(keys, (Integer) args[1], args[2]);
      }
    }
    if (spec.reads()) {
      return invokeOn(delegate, method, args);
    }
    Set<String> touched = touchedKeys(spec, args);
    dropOwn(touched);
    Future<?> result = (Future<?>) invokeOn(delegate, method, args);
    return result.andThen(ar -> dropOwn(touched));
  }

  private static Object invokeOn(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** A write's own keys (null: it may touch any key) dropped now, before it is sent and once it is acknowledged. */
  private void dropOwn(Set<String> touched) {
    synchronized (this) {
      if (touched == null) {
        flush("write");
      } else {
        touched.forEach(this::drop);
      }
    }
  }

  /**
   * The caller keys a write names, from its key parameters (the contract's key names, and the keys of
   * {@code entries}); for a pipeline, those of each write in it. Null when a write names none (it may touch
   * anything: {@code clear}, {@code deletePattern}, a pipeline with such a write).
   */
  static Set<String> touchedKeys(ActionSpec spec, Object[] args) {
    Set<String> keys = new LinkedHashSet<>();
    if ("pipeline".equals(spec.name())) {
      JsonArray ops = (JsonArray) args[0];
      for (Object o : ops == null ? new JsonArray() : ops) {
        if (!(o instanceof JsonObject)) {
          return null;
        }
        ActionSpec op = ACTIONS.find(((JsonObject) o).getString("action"));
        if (op == null) {
          return null;
        }
        if (op.reads()) {
          continue;
        }
        JsonObject a = ((JsonObject) o).getJsonObject("args", new JsonObject());
        int before = keys.size();
        boolean named = false;
        for (Param p : op.params()) {
          named |= collect(keys, p, a.getValue(p.name()));
        }
        if (!named && keys.size() == before) {
          return null;
        }
      }
      return keys;
    }
    boolean named = false;
    for (int i = 0; i < spec.params().size(); i++) {
      named |= collect(keys, spec.params().get(i), args[i]);
    }
    return named ? keys : null;
  }

  private static boolean collect(Set<String> keys, Param p, Object value) {
    if (p.key()) {
      if (value instanceof String) {
        keys.add((String) value);
        return true;
      }
      if (value instanceof Iterable) {
        for (Object k : (Iterable<?>) value) {
          keys.add(String.valueOf(k));
        }
        return true;
      }
      return false;
    }
    if ("entries".equals(p.name()) && value instanceof JsonObject) {
      keys.addAll(((JsonObject) value).fieldNames());
      return true;
    }
    if ("entries".equals(p.name()) && value instanceof Map) {
      ((Map<?, ?>) value).keySet().forEach(k -> keys.add(String.valueOf(k)));
      return true;
    }
    return false;
  }

  // ---- near reads ----

  private boolean near(String key) {
    if (!serving || key == null) {
      return false;
    }
    List<String> prefixes = options.getKeyPrefixes();
    if (prefixes.isEmpty()) {
      return true;
    }
    for (String p : prefixes) {
      if (key.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private static String variant(String kind, Integer version) {
    return version == null ? kind : kind + ":" + version;
  }

  /** The entry held for this key and kind of answer, or null. */
  private Entry lookup(String key, String variant) {
    Map<String, Entry> held = l1.getIfPresent(key);
    Entry e = held == null ? null : held.get(variant);
    if (e == null || System.nanoTime() - e.readAtNanos > maxAgeNanos || !serving) {
      misses.incrementAndGet();
      return null;
    }
    hits.incrementAndGet();
    return e;
  }

  private synchronized Pending begin(String key) {
    Pending p = new Pending();
    inflight.computeIfAbsent(key, k -> new ArrayList<>(1)).add(p);
    return p;
  }

  /** The read is back: keep its answer unless the key was invalidated or the cache flushed meanwhile. */
  private synchronized void finish(Pending p, String key, String variant, boolean succeeded, Object value, long startedNanos) {
    List<Pending> list = inflight.get(key);
    if (list != null) {
      list.remove(p);
      if (list.isEmpty()) {
        inflight.remove(key);
      }
    }
    if (!succeeded) {
      return;
    }
    if (p.dirty || !serving) {
      notKept.incrementAndGet();
      return;
    }
    Entry e = new Entry(copy(value), startedNanos);
    l1.asMap().compute(key, (k, held) -> {
      Map<String, Entry> m = held == null ? new LinkedHashMap<>(2) : new LinkedHashMap<>(held);
      m.put(variant, e);
      return m;
    });
  }

  private Future<Object> get(String key, Integer version, Object stampede, JsonArray defaultValue) {
    Object fallback = defaultValue == null ? null : defaultValue.getValue(0);
    if (stampede != null || !near(key)) {
      return delegate.get(key, version, (io.cachex.api.Stampede) stampede, defaultValue);
    }
    String variant = variant("get", version);
    Entry e = lookup(key, variant);
    if (e != null) {
      return Future.succeededFuture(e.value == null ? fallback : copy(e.value));
    }
    long started = System.nanoTime();
    Pending p = begin(key);
    // asked without the default, so that what is kept is the stored value, not the caller's default
    return delegate.get(key, version, null, null)
        .andThen(ar -> finish(p, key, variant, ar.succeeded(), ar.result(), started))
        .map(v -> v == null ? fallback : v);
  }

  private Future<Boolean> hasKey(String key, Integer version) {
    if (!near(key)) {
      return delegate.hasKey(key, version);
    }
    String variant = variant("hasKey", version);
    Entry e = lookup(key, variant);
    if (e != null) {
      return Future.succeededFuture((Boolean) e.value);
    }
    long started = System.nanoTime();
    Pending p = begin(key);
    return delegate.hasKey(key, version).andThen(ar -> finish(p, key, variant, ar.succeeded(), ar.result(), started));
  }

  private Future<JsonObject> getMany(List<String> keys, Integer version, Object stampede) {
    if (stampede != null || keys == null || !serving) {
      return delegate.getMany(keys, version, (io.cachex.api.Stampede) stampede);
    }
    String variant = variant("getMany", version);
    JsonObject found = new JsonObject();
    List<String> ask = new ArrayList<>();
    for (String k : new LinkedHashSet<>(keys)) {
      Entry e = near(k) ? lookup(k, variant) : null;
      if (e == null) {
        ask.add(k);
      } else if (e.value != null) {
        found.put(k, copy(e.value));
      }
    }
    if (ask.isEmpty()) {
      return Future.succeededFuture(found);
    }
    long started = System.nanoTime();
    Map<String, Pending> pending = new LinkedHashMap<>();
    for (String k : ask) {
      if (near(k)) {
        pending.put(k, begin(k));
      }
    }
    return delegate.getMany(ask, version, null).andThen(ar -> pending.forEach((k, p) ->
        finish(p, k, variant, ar.succeeded(), ar.succeeded() ? ar.result().getValue(k) : null, started)))
        .map(fetched -> {
          fetched.forEach(en -> found.put(en.getKey(), en.getValue()));
          return found;
        });
  }

  private static Object copy(Object v) {
    return v instanceof JsonObject ? ((JsonObject) v).copy() : v instanceof JsonArray ? ((JsonArray) v).copy() : v;
  }
}
