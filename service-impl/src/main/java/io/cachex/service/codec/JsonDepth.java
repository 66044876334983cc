package io.cachex.service.codec;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * How deep a JSON value nests, measured without recursion. Values nest at most {@link #MAX} levels:
 * deeper ones would exhaust the stack of the recursive encoders they pass through (Jackson, the
 * event bus), so they are refused on the way in and unreadable on the way out.
 */
public final class JsonDepth {
  /** The deepest nesting of objects and arrays a stored value may have. */
  public static final int MAX = 100;

  private JsonDepth() {
  }

  /** Whether {@code value} nests deeper than {@code max} levels of objects and arrays. */
  public static boolean exceeds(Object value, int max) {
    ArrayDeque<Object> values = new ArrayDeque<>();
    ArrayDeque<Integer> depths = new ArrayDeque<>();
    values.push(value == null ? "" : value);
    depths.push(0);
    while (!values.isEmpty()) {
      Object v = values.pop();
      int d = depths.pop();
      Iterable<?> children = v instanceof JsonObject ? ((JsonObject) v).getMap().values()
          : v instanceof Map ? ((Map<?, ?>) v).values()
          : v instanceof JsonArray ? ((JsonArray) v).getList()
          : v instanceof List ? (List<?>) v : null;
      if (children == null) {
        continue;
      }
      if (d + 1 > max) {
        return true;
      }
      for (Object c : children) {
        if (c instanceof JsonObject || c instanceof JsonArray || c instanceof Map || c instanceof List) {
          values.push(c);
          depths.push(d + 1);
        }
      }
    }
    return false;
  }
}
