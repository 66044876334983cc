package io.cachex.server.admin;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A flood of logins cannot take the node's worker threads: beyond a few password checks at once, 429. */
@ExtendWith(VertxExtension.class)
class AdminLoginLimitTest {

  @Test
  void passwordChecksBeyondTheLimitAreRefusedWith429(Vertx vertx) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // a slow hash, so that the checks overlap
    JsonObject users = new JsonObject().put("ops", new JsonObject()
        .put("passwordHash", Passwords.hash("pw".toCharArray(), 400_000)).put("role", "readOnly"));
    vertx.deployVerticle(AdminVerticle.class, new DeploymentOptions().setConfig(new JsonObject()
        .put("admin", new JsonObject().put("port", port).put("users", users)))).await();
    HttpClient http = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> attempts = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      attempts.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/login"))
          .header("X-Cachex-Admin", "1").POST(HttpRequest.BodyPublishers.ofString("{\"user\": \"ops\", \"password\": \"wrong\"}")).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    int refused = 0;
    int checked = 0;
    for (CompletableFuture<HttpResponse<String>> a : attempts) {
      HttpResponse<String> r = a.get();
      if (r.statusCode() == 429) {
        refused++;
        assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
        assertEquals("OVERLOADED", new JsonObject(r.body()).getString("code"));
      } else {
        assertEquals(401, r.statusCode(), r.body());
        checked++;
      }
    }
    assertTrue(checked >= 1 && refused >= 1, "checked " + checked + ", refused " + refused);
    // once the flood is over, a right password logs in
    HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/login"))
        .header("X-Cachex-Admin", "1").POST(HttpRequest.BodyPublishers.ofString("{\"user\": \"ops\", \"password\": \"pw\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ok.statusCode(), ok.body());
    String cookie = ok.headers().firstValue("Set-Cookie").orElse("").toLowerCase(java.util.Locale.ROOT);
    assertTrue(cookie.contains("httponly") && cookie.contains("samesite=strict"), cookie);
  }
}
