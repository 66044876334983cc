package io.cachex.examples;

import io.cachex.server.bridge.BridgeVerticle;
import io.cachex.service.support.CachexFixture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real non-Java clients against a deployed service: the Python (stdlib) client over the TCP
 * bridge and Node with @vertx/eventbus-bridge-client.js over SockJS. Each client's own test file
 * holds the assertions; this test runs it and fails with its output when it fails.
 */
@ExtendWith(VertxExtension.class)
class BridgeClientsTest {
  static final Path CLIENTS = Path.of("clients").toAbsolutePath();
  static CachexFixture fx;
  static int tcpPort;
  static int sockJsPort;

  @BeforeAll
  static void deploy(Vertx vertx) throws IOException {
    fx = CachexFixture.deploy(vertx);
    tcpPort = freePort();
    sockJsPort = freePort();
    JsonObject config = new JsonObject().put("address", fx.address).put("bridges", new JsonObject()
        .put("tcp", new JsonObject().put("port", tcpPort))
        .put("sockjs", new JsonObject().put("port", sockJsPort)));
    fx.serviceVertx.deployVerticle(BridgeVerticle.class, new DeploymentOptions().setConfig(config)).await();
  }

  @AfterAll
  static void undeploy() {
    fx.undeploy();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * The clients need python3 / node+npm. CI installs them and must run these tests (CI=true); on a
   * machine with only Java and Maven they are skipped, saying why.
   */
  static void requireTool(String tool) {
    boolean present = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    if (!present && !"true".equals(System.getenv("CI"))) {
      org.junit.jupiter.api.Assumptions.abort(tool + " is not on PATH: skipping its bridge client test (CI installs it)");
    }
  }

  @Test
  void pythonClientOverTcpBridge() throws Exception {
    requireTool("python3");
    Result r = run(CLIENTS.resolve("python"), Map.of("CACHEX_BRIDGE_PORT", "" + tcpPort, "CACHEX_ADDRESS", fx.address),
        "python3", "bridge_client_test.py");
    assertEquals(0, r.exit, r.output);
    assertTrue(r.output.contains(" 0 failed"), r.output);
  }

  @Test
  void nodeClientOverSockJs() throws Exception {
    requireTool("node");
    requireTool("npm");
    Path node = CLIENTS.resolve("node");
    if (!Files.isDirectory(node.resolve("node_modules/@vertx/eventbus-bridge-client.js"))) {
      Result install = run(node, Map.of(), "npm", "install", "--package-lock=false", "--no-audit", "--no-fund", "--loglevel=error");
      assertEquals(0, install.exit, "npm install failed (needs the npm registry):\n" + install.output);
    }
    Result r = run(node, Map.of("CACHEX_SOCKJS_URL", "http://127.0.0.1:" + sockJsPort + "/eventbus", "CACHEX_ADDRESS", fx.address),
        "node", "--test", "bridge-client.test.js");
    assertEquals(0, r.exit, r.output);
    assertTrue(r.output.contains("# fail 0"), r.output);
  }

  record Result(int exit, String output) {
  }

  static Result run(Path dir, Map<String, String> env, String... command) throws Exception {
    File out = File.createTempFile("client", ".log");
    ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out);
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(-1, "timed out: " + Files.readString(out.toPath(), StandardCharsets.UTF_8));
    }
    String output = Files.readString(out.toPath(), StandardCharsets.UTF_8);
    System.out.println(String.join(" ", command) + "\n" + output);
    return new Result(p.exitValue(), output);
  }
}
