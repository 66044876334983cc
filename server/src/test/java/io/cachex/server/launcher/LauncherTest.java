package io.cachex.server.launcher;

import io.cachex.server.CachexMain;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher as a user runs it: a separate JVM with no Redis configured starts an embedded one and says so. */
class LauncherTest {

  @Test
  void startsEmbeddedRedisAndPrintsReadyLine() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), CachexMain.class.getName())
        .redirectErrorStream(true);
    pb.environment().remove("CACHEX_REDIS_URI");
    Process p = pb.start();
    List<String> lines = new ArrayList<>();
    CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
          }
          if (line.startsWith("cachex ready")) {
            return line;
          }
        }
        return null;
      } catch (Exception e) {
        return null;
      }
    });
    try {
      String line = ready.get(60, TimeUnit.SECONDS);
      synchronized (lines) {
        assertTrue(line != null, "no ready line; output: " + lines);
        assertTrue(line.contains("address=cachex") && line.contains("redis://127.0.0.1:"), line);
        assertTrue(lines.stream().anyMatch(l -> l.contains("started embedded")), "says it started an embedded server: " + lines);
      }
    } finally {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }
}
