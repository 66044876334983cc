package io.cachex.server.launcher;

import io.cachex.api.config.ConfigException;
import io.cachex.server.LaunchConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Environment overrides land at their config paths and win over the file; a broken source is named. */
class LaunchConfigTest {
  @TempDir
  Path dir;

  @Test
  void environmentOverridesTheFile() throws Exception {
    Path file = dir.resolve("c.json");
    Files.writeString(file, new JsonObject()
        .put("address", "from-file")
        .put("redis", new JsonObject().put("endpoints", new JsonArray().add("redis://file:6379")).put("commandTimeoutMs", 100))
        .encode());
    JsonObject c = LaunchConfig.load(file, Map.of(
        "CACHEX_REDIS_URI", "redis://env:6380",
        "CACHEX_REDIS_PASSWORD", "s3cret",
        "CACHEX_CONFIG", "{\"redis\":{\"commandTimeoutMs\":2500},\"keyPrefix\":\"json\"}"));
    assertEquals("from-file", c.getString("address"));
    assertEquals(new JsonArray().add("redis://env:6380"), c.getJsonObject("redis").getJsonArray("endpoints"));
    assertEquals("s3cret", c.getJsonObject("redis").getString("password"));
    assertEquals(2500, c.getJsonObject("redis").getInteger("commandTimeoutMs"));
    assertEquals("json", c.getString("keyPrefix"));
  }

  @Test
  void aMalformedCachexConfigVariableIsNamed() {
    ConfigException e = assertThrows(ConfigException.class, () -> LaunchConfig.load(null, Map.of("CACHEX_CONFIG", "{redis:")));
    assertTrue(e.getMessage().startsWith("environment variable CACHEX_CONFIG is not valid JSON at line 1"), e.getMessage());
  }

  @Test
  void aFileMustHoldAnObject() throws Exception {
    Path file = dir.resolve("list.json");
    Files.writeString(file, "[1, 2]");
    ConfigException e = assertThrows(ConfigException.class, () -> LaunchConfig.load(file, Map.of()));
    assertEquals("config file " + file + " must hold a JSON object", e.getMessage());
  }
}
