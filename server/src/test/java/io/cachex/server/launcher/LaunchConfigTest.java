package io.cachex.server.launcher;

import io.cachex.server.LaunchConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Environment overrides land at their config paths and win over the file. */
class LaunchConfigTest {

  static JsonObject apply(JsonObject merged) throws Exception {
    Method m = LaunchConfig.class.getDeclaredMethod("applyEnvironment", JsonObject.class);
    m.setAccessible(true);
    return (JsonObject) m.invoke(null, merged);
  }

  @Test
  void environmentOverridesTheFile() throws Exception {
    JsonObject fromStores = new JsonObject()
        .put("address", "from-file")
        .put("redis", new JsonObject().put("endpoints", new JsonArray().add("redis://file:6379")).put("commandTimeout", 100))
        .put("CACHEX_REDIS_URI", "redis://env:6380")
        .put("CACHEX_REDIS_PASSWORD", "s3cret")
        .put("CACHEX_CONFIG", "{\"redis\":{\"commandTimeout\":2500},\"keyPrefix\":\"json\"}");
    JsonObject c = apply(fromStores);
    assertEquals("from-file", c.getString("address"));
    assertEquals(new JsonArray().add("redis://env:6380"), c.getJsonObject("redis").getJsonArray("endpoints"));
    assertEquals("s3cret", c.getJsonObject("redis").getString("password"));
    assertEquals(2500, c.getJsonObject("redis").getInteger("commandTimeout"));
    assertEquals("json", c.getString("keyPrefix"));
    assertNull(c.getValue("CACHEX_CONFIG"));
    assertNull(c.getValue("CACHEX_REDIS_URI"));
  }
}
