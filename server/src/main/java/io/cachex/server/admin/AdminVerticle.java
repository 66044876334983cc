package io.cachex.server.admin;

import io.cachex.api.CachexService;
import io.cachex.api.config.ConfigSection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The admin UI ({@code admin} section): a static page and a small JSON API on a listener of its own. The
 * page's data comes through the service's own actions: {@code POST /api/call} forwards {@code {"action",
 * "body"}} to the service address over the event bus, exactly as a proxy or bridge client sends it, after
 * {@link AdminPolicy} has checked the user's role. There is no other path to Redis.
 * <p>
 * With {@code admin.users} every API call needs a session (a login form; the cookie is HttpOnly and
 * SameSite=Strict) or HTTP Basic credentials; without users it only listens on loopback and everyone has
 * {@code admin.localRole}. State-changing requests must carry the header {@code X-Cachex-Admin} (a cross-site
 * form cannot set it). Every write is logged with its user; passwords and values never are.
 */
public class AdminVerticle extends VerticleBase {
  static final Logger LOG = LoggerFactory.getLogger("io.cachex.admin");
  static final String COOKIE = "cachex_admin";
  static final String CSRF_HEADER = "X-Cachex-Admin";
  private static final long CALL_TIMEOUT_MS = 30_000;
  private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
  private static final int MAX_LOGIN_BYTES = 16 * 1024;
  /**
   * Password checks running at once (each costs PBKDF2's 600,000 iterations): more are refused with 429, so
   * that a flood of logins cannot take the node's worker threads.
   */
  static final int MAX_CONCURRENT_CHECKS = 4;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ANONYMOUS = "local";

  private final AdminPolicy policy = new AdminPolicy();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger checking = new java.util.concurrent.atomic.AtomicInteger();
  private AdminConfig admin;
  private String address;
  private HttpServer server;
  private long sweeper = -1;

  record Session(String user, Role role, long expiresAt) {
  }

  @Override
  public Future<?> start() {
    ConfigSection root = ConfigSection.root(config());
    address = root.string("address", CachexService.DEFAULT_ADDRESS);
    ConfigSection section = root.section("admin");
    admin = new AdminConfig(section);
    section.rejectUnknown();
    if (admin.port == null) {
      return Future.failedFuture(new IllegalStateException("admin.port is not set: no admin UI to start"));
    }

    Router router = Router.router(vertx);
    if (!admin.authRequired()) {
      // without a login, a page of another site must not reach this listener through a DNS name it points at
      // 127.0.0.1 (DNS rebinding): answer only requests addressed to a loopback host
      router.route().handler(rc -> {
        String host = rc.request().authority() == null ? null : rc.request().authority().host();
        if (host == null || !AdminConfig.loopback(host)) {
          reply(rc, 403, error("FORBIDDEN", "without admin.users the admin UI answers only requests addressed to a loopback host"));
          return;
        }
        rc.next();
      });
    }
    router.route().handler(rc -> {
      rc.response()
          .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Referrer-Policy", "no-referrer");
      rc.next();
    });
    router.route("/api/*").handler(rc -> {
      rc.response().putHeader("Cache-Control", "no-store");
      if (rc.request().method().name().equals("POST") && rc.request().getHeader(CSRF_HEADER) == null) {
        reply(rc, 403, error("FORBIDDEN", "header " + CSRF_HEADER + " is required"));
        return;
      }
      rc.next();
    });
    router.post("/api/login").handler(BodyHandler.create().setBodyLimit(MAX_LOGIN_BYTES));
    router.post("/api/call").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
    router.post("/api/login").handler(this::login);
    router.post("/api/logout").handler(this::logout);
    router.get("/api/session").handler(rc -> authenticated(rc, s -> reply(rc, 200, describe(s))));
    router.post("/api/call").handler(rc -> authenticated(rc, s -> call(rc, s)));
    router.get("/api/metrics").handler(rc -> authenticated(rc, s -> reply(rc, 200, metrics())));
    router.route("/*").handler(StaticHandler.create("io/cachex/admin/ui").setCachingEnabled(false).setIndexPage("index.html"));

    sweeper = vertx.setPeriodic(60_000, id -> sessions.values().removeIf(s -> s.expiresAt < System.currentTimeMillis()));
    return vertx.createHttpServer().requestHandler(router).listen(admin.port, admin.host)
        .onSuccess(s -> server = s)
        .recover(err -> Future.failedFuture(new IllegalStateException("the admin UI cannot listen on "
            + admin.host + ":" + admin.port + " (" + err.getMessage() + ")")));
  }

  private JsonObject describe(Session s) {
    return new JsonObject().put("user", s.user).put("role", s.role.configName()).put("authRequired", admin.authRequired())
        .put("address", address);
  }

  // ---- authentication ----

  private void authenticated(RoutingContext rc, java.util.function.Consumer<Session> then) {
    if (!admin.authRequired()) {
      then.accept(new Session(ANONYMOUS, admin.localRole, Long.MAX_VALUE));
      return;
    }
    Cookie cookie = rc.request().getCookie(COOKIE);
    Session s = cookie == null ? null : sessions.get(cookie.getValue());
    if (s != null && s.expiresAt >= System.currentTimeMillis()) {
      Session renewed = new Session(s.user, s.role, System.currentTimeMillis() + admin.sessionTimeoutSeconds * 1000L);
      sessions.put(cookie.getValue(), renewed);
      then.accept(renewed);
      return;
    }
    String basic = rc.request().getHeader("Authorization");
    if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        decoded = "";
      }
      int colon = decoded.indexOf(':');
      String user = colon < 0 ? "" : decoded.substring(0, colon);
      String password = colon < 0 ? "" : decoded.substring(colon + 1);
      verify(user, password).onComplete(ar -> {
        if (ar.succeeded() && ar.result() != null) {
          then.accept(new Session(ar.result().name(), ar.result().role(), 0));
        } else {
          refuseLogin(rc, ar.cause());
        }
      });
      return;
    }
    reply(rc, 401, error("UNAUTHENTICATED", "log in first"));
  }

  /** The user when the password is right, else null; PBKDF2 runs off the event loop, a few checks at a time. */
  private Future<AdminConfig.User> verify(String user, String password) {
    AdminConfig.User u = admin.users.get(user);
    if (checking.incrementAndGet() > MAX_CONCURRENT_CHECKS) {
      checking.decrementAndGet();
      return Future.failedFuture(new TooManyChecks());
    }
    return vertx.<AdminConfig.User>executeBlocking(() -> {
      // an unknown user costs as much as a wrong password
      String hash = u != null ? u.passwordHash() : admin.users.values().iterator().next().passwordHash();
      boolean ok = Passwords.verify(password.toCharArray(), hash);
      return ok && u != null ? u : null;
    }, false).andThen(ar -> checking.decrementAndGet());
  }

  /** More password checks asked for than {@link #MAX_CONCURRENT_CHECKS}. */
  static final class TooManyChecks extends RuntimeException {
    TooManyChecks() {
      super("too many logins at once: try again in a moment", null, false, false);
    }
  }

  private static void refuseLogin(RoutingContext rc, Throwable failure) {
    if (failure instanceof TooManyChecks) {
      rc.response().putHeader("Retry-After", "1");
      reply(rc, 429, error("OVERLOADED", failure.getMessage()));
    } else {
      reply(rc, 401, error("UNAUTHENTICATED", "wrong user name or password"));
    }
  }

  private void login(RoutingContext rc) {
    JsonObject req = jsonBody(rc);
    if (req == null) {
      return;
    }
    if (!admin.authRequired()) {
      reply(rc, 200, describe(new Session(ANONYMOUS, admin.localRole, Long.MAX_VALUE)));
      return;
    }
    String user = String.valueOf(req.getValue("user", ""));
    String password = String.valueOf(req.getValue("password", ""));
    verify(user, password).onComplete(ar -> {
      if (ar.failed() || ar.result() == null) {
        LOG.warn("admin login refused for user '{}' from {}{}", printable(user), rc.request().remoteAddress(),
            ar.cause() instanceof TooManyChecks ? " (too many at once)" : "");
        refuseLogin(rc, ar.cause());
        return;
      }
      byte[] token = new byte[32];
      RANDOM.nextBytes(token);
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(token);
      Session s = new Session(ar.result().name(), ar.result().role(), System.currentTimeMillis() + admin.sessionTimeoutSeconds * 1000L);
      sessions.put(id, s);
      rc.response().addCookie(Cookie.cookie(COOKIE, id).setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath("/"));
      LOG.info("admin login: user '{}' ({}) from {}", s.user, s.role.configName(), rc.request().remoteAddress());
      reply(rc, 200, describe(s));
    });
  }

  private void logout(RoutingContext rc) {
    Cookie cookie = rc.request().getCookie(COOKIE);
    if (cookie != null) {
      sessions.remove(cookie.getValue());
    }
    rc.response().addCookie(Cookie.cookie(COOKIE, "").setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath("/").setMaxAge(0));
    reply(rc, 200, new JsonObject().put("ok", true));
  }

  // ---- the one path to the service ----

  private void call(RoutingContext rc, Session s) {
    JsonObject req = jsonBody(rc);
    if (req == null) {
      return;
    }
    String action = req.getValue("action") instanceof String ? req.getString("action") : null;
    Object body = req.getValue("body");
    String confirm = req.getValue("confirm") instanceof String ? req.getString("confirm") : null;
    String refusal = policy.refusal(s.role, action, confirm);
    if (refusal == null && body != null && !(body instanceof JsonObject)) {
      refusal = "'body' must be a JSON object";
    }
    boolean writes = action != null && policy.writes(action);
    if (refusal != null) {
      if (writes) {
        LOG.info("admin write refused: user '{}' {}{}: {}", s.user, action, target(body), refusal);
      }
      reply(rc, action != null && policy.writes(action) && s.role == Role.READ_ONLY ? 403 : 400,
          error(refusal.contains("confirm it") || refusal.startsWith("unknown") || refusal.startsWith("'body'") ? "INVALID_ARGUMENT" : "FORBIDDEN",
              refusal));
      return;
    }
    DeliveryOptions options = new DeliveryOptions().addHeader("action", action).setSendTimeout(CALL_TIMEOUT_MS);
    vertx.eventBus().request(address, body == null ? new JsonObject() : body, options).onComplete(ar -> {
      if (ar.succeeded()) {
        if (writes) {
          Object result = ar.result().body();
          // booleans and counts say what happened (replaceIfUnchanged false: a conflict, nothing written); values are never logged
          LOG.info("admin write: user '{}' {}{} -> ok{}", s.user, action, target(body),
              result instanceof Boolean || result instanceof Number ? " (" + result + ")" : "");
        }
        reply(rc, 200, new JsonObject().put("ok", true).put("result", ar.result().body()));
      } else {
        String message = String.valueOf(ar.cause().getMessage());
        String code = ar.cause() instanceof ReplyException && message.indexOf(' ') > 0 ? message.substring(0, message.indexOf(' ')) : "UNAVAILABLE";
        if (writes) {
          LOG.info("admin write: user '{}' {}{} -> {}", s.user, action, target(body), code);
        }
        reply(rc, 200, error(code, message));
      }
    });
  }

  /** " key=user:42 version=2" for the log: the key names, never a value. */
  private static String target(Object body) {
    if (!(body instanceof JsonObject)) {
      return "";
    }
    JsonObject b = (JsonObject) body;
    StringBuilder s = new StringBuilder();
    for (String name : new String[] {"key", "keys", "src", "dst", "pattern", "version"}) {
      if (b.getValue(name) != null) {
        s.append(' ').append(name).append('=').append(printable(String.valueOf(b.getValue(name))));
      }
    }
    return s.toString();
  }

  /** Caller text made safe for one log line. */
  private static String printable(String s) {
    String clean = s.replaceAll("[\\p{Cntrl}]", "?");
    return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
  }

  // ---- metrics at a glance ----

  /** Cumulative counts of the service's meters; the page turns two snapshots into rates. */
  private JsonObject metrics() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    JsonObject out = new JsonObject().put("time", System.currentTimeMillis());
    if (registry == null) {
      return out.put("enabled", false);
    }
    long ops = 0;
    double seconds = 0;
    for (Timer t : registry.find("cachex.operations").tag("cache", address).timers()) {
      ops += t.count();
      seconds += t.totalTime(TimeUnit.SECONDS);
    }
    double errors = registry.find("cachex.errors").tag("cache", address).counters().stream().mapToDouble(Counter::count).sum();
    double hits = registry.find("cache.gets").tag("cache", address).tag("result", "hit").counters().stream().mapToDouble(Counter::count).sum();
    double misses = registry.find("cache.gets").tag("cache", address).tag("result", "miss").counters().stream().mapToDouble(Counter::count).sum();
    return out.put("enabled", true).put("operations", ops).put("operationSeconds", seconds).put("errors", (long) errors)
        .put("hits", (long) hits).put("misses", (long) misses);
  }

  // ---- helpers ----

  private static JsonObject jsonBody(RoutingContext rc) {
    try {
      JsonObject body = rc.body().asJsonObject();
      if (body != null) {
        return body;
      }
    } catch (RuntimeException e) {
      // answered below
    }
    reply(rc, 400, error("INVALID_ARGUMENT", "the request body must be a JSON object"));
    return null;
  }

  private static JsonObject error(String code, String message) {
    return new JsonObject().put("ok", false).put("code", code).put("message", message);
  }

  private static void reply(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public Future<?> stop() {
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
    }
    return server == null ? Future.succeededFuture() : server.close();
  }
}
