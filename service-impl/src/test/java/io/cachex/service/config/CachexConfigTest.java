package io.cachex.service.config;

import io.cachex.api.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The service's own reading of its config, as CachexVerticle does it when deployed by an application. */
class CachexConfigTest {

  @Test
  void unknownOptionsAreRefusedWithTheNearestName() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new CachexConfig(new JsonObject().put("redis", new JsonObject().put("connectTimeout", 10))));
    assertEquals("unknown option 'redis.connectTimeout' (did you mean 'redis.connectTimeoutMs'?)", e.getMessage());
  }

  @Test
  void launcherSectionsAreNotTheServicesOptions() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new CachexConfig(new JsonObject().put("bridges", new JsonObject())));
    assertEquals("unknown option 'bridges'", e.getMessage());
  }

  @Test
  void durationsAreReadInTheUnitOfTheirName() {
    CachexConfig c = new CachexConfig(new JsonObject().put("defaultTimeoutSeconds", 1.5)
        .put("redis", new JsonObject().put("commandTimeoutMs", 250)));
    assertEquals(1.5, c.defaultTimeout);
    assertEquals(250, c.redis.commandTimeoutMs);
    assertNull(new CachexConfig(new JsonObject().putNull("defaultTimeoutSeconds")).defaultTimeout, "null: never expire");
  }

  @Test
  void aMalformedEndpointIsShownWithoutItsPassword() {
    ConfigException e = assertThrows(ConfigException.class, () -> new CachexConfig(new JsonObject()
        .put("redis", new JsonObject().put("endpoints", "http://user:secret@host:6379"))));
    assertEquals("config option 'redis.endpoints' has an invalid Redis URI 'http://***@host:6379': the scheme must be"
        + " redis, rediss or unix (expected redis://[user:password@]host:port[/db])", e.getMessage());
  }
}
