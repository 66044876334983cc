package io.cachex.service.reliability;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.servers.LocalServerProcess;
import io.cachex.servers.RedisServers;
import io.cachex.servers.ServerOptions;
import io.cachex.servers.TlsOptions;
import io.cachex.service.config.RedisUris;
import io.cachex.service.CachexVerticle;
import io.cachex.service.support.CachexFixture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.serviceproxy.ServiceException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AUTH with an ACL user and TLS with a CA file against a real TLS server (certificates made here with
 * openssl): the service connects with {@code redis.tls.caFile}; a wrong password, a missing or foreign
 * CA, or a certificate naming another host give UNAVAILABLE; no password appears in any error
 * message or in anything logged meanwhile (every JUL logger, Vert.x and Netty included).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecurityTest {
  static final String USER = "app";
  static final String PASSWORD = "pw-" + UUID.randomUUID();
  static final String WRONG_PASSWORD = "wrong-" + UUID.randomUUID();
  static Path dir;
  static Path ca;
  static Path otherCa;
  static LocalServerProcess server;
  static LocalServerProcess misnamed;
  static final List<String> logs = new ArrayList<>();
  static final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      StringBuilder line = new StringBuilder(r.getLoggerName() + " " + r.getMessage());
      if (r.getParameters() != null) {
        for (Object p : r.getParameters()) {
          line.append(' ').append(p);
        }
      }
      if (r.getThrown() != null) {
        StringWriter trace = new StringWriter();
        r.getThrown().printStackTrace(new PrintWriter(trace));
        line.append(' ').append(trace);
      }
      synchronized (logs) {
        logs.add(line.toString());
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  @BeforeAll
  static void start() throws Exception {
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    for (String name : List.of("io.cachex", "io.vertx", "io.netty")) {
      Logger.getLogger(name).setLevel(Level.ALL); // capture what any level would print
    }
    capture.setLevel(Level.ALL);
    dir = Files.createTempDirectory("cachex-security-");
    ca = makeCa("ca");
    otherCa = makeCa("other-ca");
    Path[] good = makeServerCert("server", "subjectAltName=IP:127.0.0.1");
    Path[] wrongName = makeServerCert("misnamed", "subjectAltName=DNS:cachex.invalid");
    RedisServers.Source source = RedisServers.Source.BINARY;
    server = (LocalServerProcess) RedisServers.start(source, new ServerOptions().aclUser(USER, PASSWORD)
        .tls(new TlsOptions(good[0], good[1], ca)));
    misnamed = (LocalServerProcess) RedisServers.start(source, new ServerOptions().aclUser(USER, PASSWORD)
        .tls(new TlsOptions(wrongName[0], wrongName[1], ca)));
  }

  @AfterAll
  static void stop() throws IOException {
    System.out.println("security: log records captured and checked for secrets: " + logs.size());
    Logger.getLogger("").removeHandler(capture);
    for (String name : List.of("io.cachex", "io.vertx", "io.netty")) {
      Logger.getLogger(name).setLevel(null);
    }
    if (server != null) {
      server.close();
    }
    if (misnamed != null) {
      misnamed.close();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static Path makeCa(String name) throws Exception {
    Path key = dir.resolve(name + ".key");
    Path cert = dir.resolve(name + ".crt");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
        "-days", "2", "-subj", "/CN=cachex-test-" + name);
    return cert;
  }

  /** A server certificate signed by {@link #ca}: [cert, key]. */
  static Path[] makeServerCert(String name, String san) throws Exception {
    Path key = dir.resolve(name + ".key");
    Path csr = dir.resolve(name + ".csr");
    Path cert = dir.resolve(name + ".crt");
    Path ext = dir.resolve(name + ".ext");
    Files.writeString(ext, san + "\n");
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
    openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", dir.resolve("ca.key").toString(),
        "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
    return new Path[] {cert, key};
  }

  static void openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(command + " failed: " + out);
    }
  }

  static String endpoint(LocalServerProcess s, String password) {
    return "rediss://" + USER + ":" + password + "@127.0.0.1:" + s.port();
  }

  static CachexService deploy(Vertx vertx, JsonObject redis) {
    String address = "cachex.test.security." + UUID.randomUUID();
    JsonObject config = new JsonObject().put("address", address).put("redis", redis.put("reconnectDelayMs", 10));
    vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
    return CachexService.createProxyWithOptions(vertx, address, new DeliveryOptions().setSendTimeout(20_000));
  }

  static JsonObject redis(String endpoint, Path caFile) {
    JsonObject r = new JsonObject().put("endpoints", new JsonArray().add(endpoint));
    if (caFile != null) {
      r.put("tls", new JsonObject().put("caFile", caFile.toString()));
    }
    return r;
  }

  static void assertNoSecret(String where, String text) {
    assertFalse(text.contains(PASSWORD), "the password in " + where + ": " + text);
    assertFalse(text.contains(WRONG_PASSWORD), "the wrong password in " + where + ": " + text);
  }

  static ServiceException assertUnavailableWithoutSecret(CachexService cache) {
    ServiceException e = CachexFixture.assertFails(CachexError.UNAVAILABLE, cache.set("k", 1));
    assertNoSecret("the error message", e.getMessage());
    assertNoSecret("the error debug info", String.valueOf(e.getDebugInfo()));
    return e;
  }

  static void assertNoSecretInLogs() {
    synchronized (logs) {
      for (String line : logs) {
        assertNoSecret("a log record", line);
      }
    }
  }

  @Test
  void aclUserOverTlsWithTheCaFile(Vertx vertx) {
    CachexService cache = deploy(vertx, redis(endpoint(server, PASSWORD), ca));
    cache.set("k", "over tls").await();
    assertEquals("over tls", cache.get("k").await());
    assertNoSecretInLogs();
  }

  @Test
  void userAndPasswordAsOptionsWork(Vertx vertx) {
    CachexService cache = deploy(vertx, redis("rediss://127.0.0.1:" + server.port(), ca).put("user", USER).put("password", PASSWORD));
    cache.set("k2", 2).await();
    assertEquals(2L, cache.get("k2").await());
  }

  @Test
  void wrongPasswordIsUnavailableAndNeverPrinted(Vertx vertx) {
    ServiceException e = assertUnavailableWithoutSecret(deploy(vertx, redis(endpoint(server, WRONG_PASSWORD), ca)));
    assertTrue(e.getMessage().contains("WRONGPASS") || e.getMessage().contains("NOAUTH"), e.getMessage());
    assertUnavailableWithoutSecret(deploy(vertx, redis("rediss://127.0.0.1:" + server.port(), ca)
        .put("user", USER).put("password", WRONG_PASSWORD)));
    assertNoSecretInLogs();
  }

  @Test
  void withoutTheCaTheServerIsNotTrusted(Vertx vertx) {
    // the JVM's trust store does not know our CA
    assertUnavailableWithoutSecret(deploy(vertx, redis(endpoint(server, PASSWORD), null)));
    // nor does another CA
    assertUnavailableWithoutSecret(deploy(vertx, redis(endpoint(server, PASSWORD), otherCa)));
    // and a plain-text client gets nothing from a TLS-only port
    assertUnavailableWithoutSecret(deploy(vertx, redis("redis://" + USER + ":" + PASSWORD + "@127.0.0.1:" + server.port(), ca)
        .put("commandTimeoutMs", 1000).put("connectTimeoutMs", 1000)), CachexError.UNAVAILABLE, CachexError.TIMEOUT);
    assertNoSecretInLogs();
  }

  static void assertUnavailableWithoutSecret(CachexService cache, CachexError... allowed) {
    try {
      cache.set("k", 1).await();
      throw new AssertionError("expected one of " + List.of(allowed));
    } catch (ServiceException e) {
      assertTrue(List.of(allowed).contains(CachexError.of(e)), e.getMessage());
      assertNoSecret("the error message", e.getMessage());
    }
  }

  @Test
  void theLauncherPrintsEndpointsWithoutCredentials() {
    String printed = RedisUris.mask(new JsonArray().add(endpoint(server, PASSWORD))
        .add("redis://:" + WRONG_PASSWORD + "@127.0.0.1:1").add("redis://127.0.0.1:2").toString());
    assertNoSecret("the launcher's ready line", printed);
    assertTrue(printed.contains("rediss://***@127.0.0.1:" + server.port()) && printed.contains("redis://127.0.0.1:2"), printed);
  }

  @Test
  void hostnameVerificationIsOnByDefault(Vertx vertx) {
    // signed by the trusted CA, but for another name than 127.0.0.1
    assertUnavailableWithoutSecret(deploy(vertx, redis(endpoint(misnamed, PASSWORD), ca)));
    JsonObject off = redis(endpoint(misnamed, PASSWORD), ca);
    off.getJsonObject("tls").put("hostnameVerification", false);
    CachexService cache = deploy(vertx, off);
    cache.set("k3", 3).await();
    assertEquals(3L, cache.get("k3").await());
    assertNoSecretInLogs();
  }
}
