package io.cachex.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RedisServersTest {

  @Test
  void startAnswersPingAndRoundTrips() {
    try (RedisServer server = RedisServers.start(); RespSocket redis = server.connect()) {
      assertEquals("PONG", redis.call("PING"));
      assertEquals("OK", redis.call("SET", "greeting", "hällo wörld"));
      assertEquals("hällo wörld", redis.call("GET", "greeting"));
      assertEquals(1L, redis.call("DEL", "greeting"));
      assertEquals(null, redis.call("GET", "greeting"));
      assertTrue(server.uri().matches("rediss?://.*:" + server.port()), server.uri());
      assertTrue(server.description().contains(Integer.toString(server.port())), server.description());
      assertTrue(List.of("valkey", "redis", "external", "container").contains(server.flavor()));
    }
  }

  static List<Path> localBinaries() {
    List<Path> binaries = RedisServers.localBinaries();
    // JUnit 5.11 rejects a parameterized test without arguments; a machine with only Java and Maven skips instead
    return binaries.isEmpty() ? java.util.Collections.singletonList(null) : binaries;
  }

  @ParameterizedTest
  @MethodSource("localBinaries")
  void eachLocalFlavourStarts(Path binary) {
    assumeTrue(binary != null, "no valkey-server or redis-server on PATH");
    String expected = binary.getFileName().toString().startsWith("valkey") ? "valkey" : "redis";
    try (LocalServerProcess server = RedisServers.startWithBinary(binary, new ServerOptions());
         RespSocket redis = server.connect()) {
      assertEquals(expected, server.flavor());
      assertEquals("127.0.0.1", server.host());
      assertEquals("redis://127.0.0.1:" + server.port(), server.uri());
      assertTrue(server.description().startsWith(expected + "-server " + server.version() + " (" + binary + ") on 127.0.0.1:"),
          server.description());
      String info = redis.callString("INFO", "server");
      assertTrue(info.contains("process_id:" + server.pid()), info);
      assertEquals(expected.equals("valkey"), info.contains("valkey_version:"), info);
      assertEquals("OK", redis.call("SET", "k", "v"));
      assertEquals("v", redis.call("GET", "k"));
    }
  }

  @Test
  void bothFlavoursAreFoundWhenInstalled() {
    List<Path> binaries = RedisServers.localBinaries();
    RedisServers.findOnPath("valkey-server").ifPresent(p -> assertTrue(binaries.contains(p), binaries.toString()));
    RedisServers.findOnPath("redis-server").ifPresent(p -> assertTrue(binaries.contains(p) || binaries.size() == 1,
        binaries.toString()));
  }

  @Test
  void embeddedBinaryStartsWhenForcedByMode() {
    RedisServers.Settings settings = RedisServers.Settings.of(Map.of("CACHEX_TEST_REDIS_MODE", "embedded"));
    try (RedisServer server = RedisServers.start(RedisServers.Source.AUTO, new ServerOptions(), settings);
         RespSocket redis = server.connect()) {
      LocalServerProcess local = (LocalServerProcess) server;
      assertEquals(RedisServers.embeddedBinary(), local.binary());
      assertEquals("redis", server.flavor());
      assertTrue(local.version().startsWith("6.2."), local.version());
      assertTrue(server.description().contains("embedded-redis"), server.description());
      assertEquals("PONG", redis.call("PING"));
      assertEquals("OK", redis.call("SET", "k", "v"));
      assertEquals("v", redis.call("GET", "k"));
    }
  }

  @Test
  void embeddedResourceNames() {
    assertEquals("redis-server-6.2.6-v5-linux-amd64", RedisServers.embeddedResource("Linux", "amd64"));
    assertEquals("redis-server-6.2.7-linux-arm64", RedisServers.embeddedResource("Linux", "aarch64"));
    assertEquals("redis-server-6.2.6-v5-darwin-arm64", RedisServers.embeddedResource("Mac OS X", "aarch64"));
    assertThrows(IllegalStateException.class, () -> RedisServers.embeddedResource("SunOS", "sparcv9"));
    assertTrue(RedisServers.embeddedBinary().toFile().canExecute());
    assertEquals(RedisServers.embeddedBinary(), RedisServers.embeddedBinary(), "extracted once per JVM");
  }

  @Test
  void externalUriIsUsedAndNeverStopped() {
    try (LocalServerProcess real = RedisServers.startWithBinary(RedisServers.topologyBinary(),
        new ServerOptions().requirePass("pw"))) {
      RedisServers.Settings settings = RedisServers.Settings.of(Map.of("CACHEX_TEST_REDIS_URI", real.uri()));
      assertEquals(RedisServers.Source.EXTERNAL, RedisServers.choose(settings, new ServerOptions()));
      RedisServer external = RedisServers.start(RedisServers.Source.AUTO, new ServerOptions(), settings);
      assertEquals("external", external.flavor());
      assertEquals(real.port(), external.port());
      assertEquals(real.uri(), external.uri());
      assertFalse(external.description().contains("pw"), external.description());
      try (RespSocket redis = external.connect()) {
        assertEquals("PONG", redis.call("PING"));
      }
      external.close();
      assertTrue(real.isRunning(), "closing an external server must not stop it");
    }
  }

  @Test
  void modeWinsAndIsValidated() {
    RedisServers.Settings binary = RedisServers.Settings.of(Map.of(
        "CACHEX_TEST_REDIS_MODE", "binary", "CACHEX_TEST_REDIS_URI", "redis://127.0.0.1:1"));
    assertEquals(RedisServers.Source.BINARY, RedisServers.choose(binary, new ServerOptions()));
    RedisServers.Settings bogus = RedisServers.Settings.of(Map.of("CACHEX_TEST_REDIS_MODE", "docker"));
    assertThrows(IllegalArgumentException.class, () -> RedisServers.choose(bogus, new ServerOptions()));
    // system properties beat environment variables
    RedisServers.Settings both = new RedisServers.Settings(
        Map.of("cachex.test.redis.mode", "embedded")::get, Map.of("CACHEX_TEST_REDIS_MODE", "binary")::get);
    assertEquals(RedisServers.Source.EMBEDDED, RedisServers.choose(both, new ServerOptions()));
  }

  @Test
  void explicitBinaryIsPreferred() {
    List<Path> binaries = RedisServers.localBinaries();
    assumeTrue(!binaries.isEmpty(), "no valkey-server/redis-server on PATH");
    Path last = binaries.get(binaries.size() - 1);
    RedisServers.Settings settings = RedisServers.Settings.of(Map.of("CACHEX_REDIS_BINARY", last.toString(),
        "CACHEX_TEST_REDIS_MODE", "binary"));
    try (RedisServer server = RedisServers.start(RedisServers.Source.AUTO, new ServerOptions(), settings)) {
      assertEquals(last, ((LocalServerProcess) server).binary());
    }
    RedisServers.Settings missing = RedisServers.Settings.of(Map.of("CACHEX_REDIS_BINARY", "/nonexistent/redis-server",
        "CACHEX_TEST_REDIS_MODE", "binary"));
    assertThrows(IllegalStateException.class,
        () -> RedisServers.start(RedisServers.Source.AUTO, new ServerOptions(), missing));
  }

  @Test
  void forcedContainerFailsClearlyWithoutDocker() {
    assumeTrue(!RedisServers.dockerAvailable(), "a Docker engine is available here");
    RedisServers.Settings settings = RedisServers.Settings.of(Map.of("CACHEX_TEST_REDIS_MODE", "container"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RedisServers.start(RedisServers.Source.AUTO, new ServerOptions(), settings));
    assertTrue(e.getMessage().contains("Docker"), e.getMessage());
  }

  @Test
  void requirePassIsEnforcedAndCarriedByUri() {
    try (LocalServerProcess server = RedisServers.startWithBinary(RedisServers.topologyBinary(),
        new ServerOptions().requirePass("s3cr3t pw/@"))) {
      assertEquals("redis://:s3cr3t%20pw%2F%40@127.0.0.1:" + server.port(), server.uri());
      assertFalse(server.description().contains("s3cr3t"));
      try (RespSocket anonymous = RespSocket.connect(server.host(), server.port())) {
        RespSocket.ServerError e = assertThrows(RespSocket.ServerError.class, () -> anonymous.call("GET", "k"));
        assertEquals("NOAUTH", e.code());
      }
      try (RespSocket redis = server.connect()) {
        assertEquals("PONG", redis.call("PING"));
      }
      assertFalse(server.log().contains("s3cr3t"), "the command line in the log is redacted");
    }
  }

  @Test
  void aclUserIsCreatedAndCarriedByUri() {
    try (LocalServerProcess server = RedisServers.startWithBinary(RedisServers.topologyBinary(),
        new ServerOptions().aclUser("app", "pw"));
         RespSocket redis = server.connect()) {
      assertEquals("redis://app:pw@127.0.0.1:" + server.port(), server.uri());
      assertEquals("app", redis.call("ACL", "WHOAMI"));
      assertEquals("OK", redis.call("SET", "k", "v"));
    }
  }

  @Test
  void tlsServerAnswersOverTlsOnly(@TempDir Path dir) throws Exception {
    assumeTrue(RedisServers.findOnPath("openssl").isPresent(), "openssl CLI not available");
    TlsOptions tls = Certificates.create(dir);
    try (LocalServerProcess server = RedisServers.startWithBinary(RedisServers.topologyBinary(),
        new ServerOptions().tls(tls))) {
      assertEquals("rediss://127.0.0.1:" + server.port(), server.uri());
      try (RespSocket redis = server.connect()) {
        assertEquals("PONG", redis.call("PING"));
        assertEquals("OK", redis.call("SET", "k", "v"));
      }
      try (RespSocket plain = RespSocket.connect(server.host(), server.port(), java.time.Duration.ofSeconds(1), null)) {
        assertThrows(RuntimeException.class, () -> plain.call("PING"), "plain text must not be answered");
      }
    }
  }
}
