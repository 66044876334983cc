package io.cachex.server.launcher;

import io.cachex.servers.RedisServer;
import io.cachex.servers.RedisServers;
import io.cachex.servers.SentinelTopology;
import io.cachex.servers.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher as a user runs it, in a child JVM with real sockets and real Valkey/Redis servers: it starts
 * and says so, or says in one sentence why not and exits with 1; it stops on SIGTERM with 0.
 */
class LauncherTest {
  static final String SECRET = "not-a-real-secret-8d1f";

  @TempDir
  Path dir;

  Path config(String json) throws IOException {
    Path file = dir.resolve("cachex.json");
    Files.writeString(file, json);
    return file;
  }

  /** Runs the launcher to its end and checks it failed with one line that contains every {@code mention}. */
  static String assertFailsToStart(Map<String, String> env, String[] args, String... mentions) throws Exception {
    try (Launched launched = Launched.start(env, args)) {
      String line = launched.awaitLine(l -> l.startsWith("cachex failed to start: ") || l.startsWith("cachex ready"));
      assertTrue(line.startsWith("cachex failed to start: "), launched.output());
      for (String mention : mentions) {
        assertTrue(line.contains(mention), "'" + mention + "' in: " + line);
      }
      assertEquals(1, launched.awaitExit(), launched.output());
      String output = launched.output();
      assertFalse(output.contains("\tat ") || output.contains("Exception"), "no stack trace: " + output);
      assertFalse(output.contains(SECRET), "no secret in the output: " + output);
      return output;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void withoutRedisStartsADevelopmentRedisAndStopsOnSigterm() throws Exception {
    // the test support's variables mean nothing to the launcher
    Map<String, String> testSupportEnv = Map.of("CACHEX_TEST_REDIS_URI", "redis://127.0.0.1:" + freePort(),
        "CACHEX_TEST_REDIS_MODE", "external");
    try (Launched launched = Launched.start(testSupportEnv)) {
      String ready = launched.awaitLine(l -> l.startsWith("cachex ready"));
      assertTrue(ready.contains("address=cachex") && ready.contains("redis=[redis://127.0.0.1:"), ready);
      assertTrue(launched.output().contains("started a development Redis"), launched.output());
      launched.sigterm();
      assertEquals(0, launched.awaitExit(), launched.output());
      assertTrue(launched.output().contains("cachex stopped"), launched.output());
      assertFalse(launched.output().contains("SLF4J"), "one logging backend: " + launched.output());
    }
  }

  @Test
  void helpPrintsUsageAndExitsWithZero() throws Exception {
    try (Launched launched = Launched.start(Map.of(), "--help")) {
      assertEquals(0, launched.awaitExit());
      assertTrue(launched.output().startsWith("usage: java -jar cachex-server.jar"), launched.output());
    }
  }

  @Test
  void anUnknownCommandLineOptionIsRefused() throws Exception {
    assertFailsToStart(Map.of(), new String[] {"-x"}, "unknown command-line option '-x'");
  }

  @Test
  void aMissingFileIsNamed() throws Exception {
    assertFailsToStart(Map.of(), new String[] {dir.resolve("nowhere.json").toString()}, "nowhere.json does not exist");
  }

  @Test
  void malformedJsonSaysWhere() throws Exception {
    Path file = config("{\n  \"address\": \"cachex\",\n}\n");
    assertFailsToStart(Map.of(), new String[] {file.toString()}, "cachex.json is not valid JSON at line 3");
  }

  @Test
  void aWrongValueNamesItsPath() throws Exception {
    Path file = config("{\"redis\": {\"connections\": \"two\"}}");
    assertFailsToStart(Map.of(), new String[] {file.toString()}, "'redis.connections' must be an integer");
  }

  @Test
  void anUnknownOptionIsRefusedWithTheNearestName() throws Exception {
    Path file = config("{\"redis\": {\"comandTimeout\": 500}}");
    assertFailsToStart(Map.of(), new String[] {file.toString()},
        "unknown option 'redis.comandTimeout' (did you mean 'redis.commandTimeoutMs'?)");
    Path other = config("{\"keyprefix\": \"app\"}");
    assertFailsToStart(Map.of(), new String[] {other.toString()}, "unknown option 'keyprefix' (did you mean 'keyPrefix'?)");
  }

  @Test
  void anUnknownCodecOptionIsRefused() throws Exception {
    Path file = config("{\"codec\": {\"compresor\": \"lz4\"}}");
    assertFailsToStart(Map.of(), new String[] {file.toString()}, "unknown option 'codec.compresor' (did you mean 'codec.compressor'?)");
  }

  @Test
  void aMalformedRedisUriIsShownMasked() throws Exception {
    assertFailsToStart(Map.of("CACHEX_REDIS_URI", "redis://app:" + SECRET + "@127.0.0.1:six"), new String[0],
        "'redis.endpoints' has an invalid Redis URI 'redis://***@127.0.0.1:six'");
  }

  @Test
  void aPortInUseNamesTheListenerAndPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path file = config("{\"bridges\": {\"tcp\": {\"port\": " + taken.getLocalPort() + "}}}");
      assertFailsToStart(Map.of(), new String[] {file.toString()},
          "the TCP bridge cannot listen on 127.0.0.1:" + taken.getLocalPort(), "in use");
    }
  }

  @Test
  void unreachableRedisIsWaitedForThenGivenUp() throws Exception {
    int nobody = freePort();
    Path file = config("{\"startup\": {\"redisWaitSeconds\": 2}}");
    String output = assertFailsToStart(Map.of("CACHEX_REDIS_URI", "redis://app:" + SECRET + "@127.0.0.1:" + nobody),
        new String[] {file.toString()}, "Redis was not ready within 2 s (startup.redisWaitSeconds)");
    assertTrue(output.contains("cachex: waiting for Redis: redis://***@127.0.0.1:" + nobody), output);
  }

  @Test
  void aWrongPasswordIsRefusedAtOnce() throws Exception {
    try (RedisServer server = RedisServers.startWithBinary(RedisServers.topologyBinary(),
        new ServerOptions().requirePass("the-right-one"))) {
      String uri = "redis://:" + SECRET + "@127.0.0.1:" + server.port();
      assertFailsToStart(Map.of("CACHEX_REDIS_URI", uri), new String[0], "refused the credentials");
      assertFailsToStart(Map.of("CACHEX_REDIS_URI", "redis://127.0.0.1:" + server.port()), new String[0],
          "requires a password");
    }
  }

  @Test
  void aStandaloneConfigPointedAtAClusterNodeIsRefused() throws Exception {
    try (RedisServer node = RedisServers.startWithBinary(RedisServers.topologyBinary(),
        new ServerOptions().args("--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + freePort() + ".conf"))) {
      assertFailsToStart(Map.of("CACHEX_REDIS_URI", "redis://127.0.0.1:" + node.port()), new String[0],
          "redis.type is standalone, but redis://127.0.0.1:" + node.port() + " is a Redis Cluster node");
    }
  }

  @Test
  void sentinelConfigsAreCheckedAgainstTheSentinels() throws Exception {
    try (SentinelTopology sentinels = SentinelTopology.start(new ServerOptions())) {
      String sentinel = sentinels.sentinelUris().get(0);
      assertFailsToStart(Map.of("CACHEX_REDIS_URI", sentinel), new String[0], "is a Sentinel: set redis.type to sentinel");
      Path file = config("{\"startup\": {\"redisWaitSeconds\": 2}, \"redis\": {\"type\": \"sentinel\", \"masterName\": \"nosuch\"}}");
      String output = assertFailsToStart(Map.of("CACHEX_REDIS_URI", sentinel), new String[] {file.toString()},
          "knows no master named 'nosuch'");
      assertTrue(output.contains("cachex: waiting for Redis"), output);
      Path primary = config("{\"redis\": {\"type\": \"sentinel\"}}");
      assertFailsToStart(Map.of("CACHEX_REDIS_URI", sentinels.primary().uri()), new String[] {primary.toString()},
          "is a standalone server, not a sentinel");
    }
  }

  @Test
  void sigtermWhileWaitingForRedisStopsAtOnce() throws Exception {
    try (Launched launched = Launched.start(Map.of("CACHEX_REDIS_URI", "redis://127.0.0.1:" + freePort()))) {
      launched.awaitLine(l -> l.startsWith("cachex: waiting for Redis"));
      launched.sigterm();
      assertEquals(0, launched.awaitExit(), launched.output());
      assertFalse(launched.output().contains("cachex ready"), launched.output());
      assertFalse(launched.output().contains("failed to start"), launched.output());
    }
  }

  @Test
  void clusteredNodesSayOneLinePerMemberAndNothingMoreFromHazelcast() throws Exception {
    // what the runnable jar's manifest opens for Hazelcast (Add-Opens, Add-Exports)
    List<String> opens = List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED");
    Path file = config("{\"cluster\": {\"clusterName\": \"launcher-" + UUID.randomUUID() + "\", \"port\": 18901}}");
    try (RedisServer redis = RedisServers.startWithBinary(RedisServers.topologyBinary(), new ServerOptions());
         Launched first = Launched.start(opens, Map.of("CACHEX_REDIS_URI", redis.uri()), "--cluster", file.toString())) {
      first.awaitLine(l -> l.startsWith("cachex ready") && l.contains("cluster=launcher-"));
      try (Launched second = Launched.start(opens, Map.of("CACHEX_REDIS_URI", redis.uri()), "--cluster", file.toString())) {
        second.awaitLine(l -> l.startsWith("cachex ready"));
        first.awaitLine(l -> l.contains("cluster member joined") && l.contains("(2 members)"));
        second.sigterm();
        assertEquals(0, second.awaitExit(), second.output());
        first.awaitLine(l -> l.contains("cluster member left") && l.contains("(1 members)"));
        for (Launched node : List.of(first, second)) {
          assertFalse(node.output().contains("com.hazelcast") || node.output().contains("c.h."), "no Hazelcast chatter: " + node.output());
          assertTrue(node.output().lines().count() < 10, node.output());
        }
      }
    }
  }

  @Test
  void aClusteredNodeWithoutRedisRefusesAnEmbeddedOne() throws Exception {
    assertFailsToStart(Map.of(), new String[] {"--cluster"}, "a clustered node needs the Redis all nodes share",
        "redis.embedded: true");
  }
}
