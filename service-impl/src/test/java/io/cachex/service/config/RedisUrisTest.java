package io.cachex.service.config;

import io.cachex.api.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Passwords never printed, whatever characters they hold and however the text around them is shaped. */
class RedisUrisTest {
  static final List<String> PASSWORDS = List.of("pa,ss", "p@ss@word", "a:b:c", "sl/ash", "br]ack[et", "per%25cent", "quo\"te");

  @Test
  void everyPasswordIsMaskedInEveryShapeItIsPrinted() {
    for (String password : PASSWORDS) {
      String uri = "redis://app:" + password + "@10.0.0.1:6379/0";
      RedisUris.rememberCredentials(uri);
      String decoded = java.net.URLDecoder.decode(password, java.nio.charset.StandardCharsets.UTF_8);
      for (String printed : List.of(
          RedisUris.mask(uri),
          RedisUris.mask(List.of(uri, "redis://10.0.0.2:6379").toString()),
          RedisUris.mask(new JsonArray().add(uri).add("redis://10.0.0.2:6379").toString()),
          RedisUris.mask("connection to " + uri + " refused"),
          RedisUris.mask("AUTH failed for app with " + decoded))) { // a secret quoted without its URI
        assertFalse(printed.contains(password) || printed.contains(decoded), password + " leaked in: " + printed);
        assertTrue(printed.contains("***"), printed);
      }
      assertTrue(RedisUris.mask(List.of(uri, "redis://10.0.0.2:6379").toString()).contains("redis://10.0.0.2:6379"),
          "other endpoints stay readable");
    }
  }

  @Test
  void anEndpointTheConfigRefusesIsShownMasked() {
    ConfigException e = assertThrows(ConfigException.class, () -> new CachexConfig(new JsonObject()
        .put("redis", new JsonObject().put("endpoints", "redis://u:my,secret@host:notaport"))));
    assertFalse(e.getMessage().contains("my,secret"), e.getMessage());
  }

  @Test
  void theConfiguredPasswordIsMaskedWherever() {
    new CachexConfig(new JsonObject().put("redis", new JsonObject().put("password", "Zebra-horse-42")));
    assertFalse(RedisUris.mask("WRONGPASS for Zebra-horse-42").contains("Zebra-horse-42"));
  }
}
