package io.cachex.server.launcher;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin UI as the launcher starts it: refused beyond loopback without users; with the service's meters behind its charts. */
class AdminLauncherTest {
  @TempDir
  Path dir;

  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aNonLoopbackAdminHostWithoutUsersIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("cachex.json"), "{\"admin\": {\"port\": 0, \"host\": \"0.0.0.0\"}}");
    LauncherTest.assertFailsToStart(Map.of(), new String[] {file.toString()},
        "config option 'admin.host' is 0.0.0.0, not a loopback interface: the admin UI needs admin.users");
  }

  @Test
  void theAdminUiServesTheServiceAndItsMetrics() throws Exception {
    Path file = Files.writeString(dir.resolve("cachex.json"), "{\"admin\": {\"port\": 0, \"localRole\": \"readWrite\"}}");
    try (Launched launched = Launched.start(Map.of(), file.toString())) {
      String ready = launched.awaitLine(l -> l.startsWith("cachex ready") || l.startsWith("cachex failed"));
      Matcher admin = Pattern.compile("admin=(http://127\\.0\\.0\\.1:[0-9]+/)").matcher(ready);
      assertTrue(admin.find(), ready);
      String base = admin.group(1);
      assertEquals(new JsonObject().put("ok", true).put("result", (Object) null),
          call(base, "{\"action\": \"set\", \"body\": {\"key\": \"greeting\", \"value\": [\"hello\"]}}"));
      assertEquals("hello", call(base, "{\"action\": \"get\", \"body\": {\"key\": \"greeting\"}}").getValue("result"));
      call(base, "{\"action\": \"get\", \"body\": {\"key\": \"missing\"}}");
      JsonObject metrics = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(base + "api/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      assertEquals(true, metrics.getBoolean("enabled"), metrics.encode());
      assertTrue(metrics.getLong("operations") >= 3, metrics.encode());
      assertTrue(metrics.getLong("hits") >= 1 && metrics.getLong("misses") >= 1, metrics.encode());
      launched.sigterm();
      assertEquals(0, launched.awaitExit(), launched.output());
      assertTrue(launched.output().contains("admin write: user 'local' set key=greeting -> ok"), launched.output());
    }
  }

  JsonObject call(String base, String json) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/call")).header("X-Cachex-Admin", "1")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    return new JsonObject(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
  }
}
