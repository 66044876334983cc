package io.cachex.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Conversions between Java values and the JSON values the service stores. */
public final class JsonValues {
  private JsonValues() {
  }

  /** Map → JsonObject, List/Collection → JsonArray (recursively through the JSON types); other values unchanged. */
  @SuppressWarnings("unchecked")
  public static Object normalize(Object value) {
    if (value instanceof Map) {
      return new JsonObject((Map<String, Object>) value);
    }
    if (value instanceof List) {
      return new JsonArray((List<Object>) value);
    }
    if (value instanceof Collection) {
      return new JsonArray(List.copyOf((Collection<Object>) value));
    }
    return value;
  }

  /** The wire box of one value: a one-element JSON array. */
  public static JsonArray box(Object value) {
    return new JsonArray().add(normalize(value));
  }

  /** A JSON array of the given values, each normalized. */
  public static JsonArray arrayOf(Object... values) {
    JsonArray array = new JsonArray();
    for (Object v : values) {
      array.add(normalize(v));
    }
    return array;
  }

  /** A JSON array of the given values, each normalized. */
  public static JsonArray arrayOf(Collection<?> values) {
    JsonArray array = new JsonArray();
    for (Object v : values) {
      array.add(normalize(v));
    }
    return array;
  }
}
