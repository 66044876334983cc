package io.cachex.api.contract;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The one place that reads which action a request names: the {@code action} header of an event-bus
 * message, or of a bridge frame's JSON headers. Header names compare case-insensitively (as the bus
 * does), so {@code Action} and {@code ACTION} are the same header; a request that names its action
 * twice, or not as a non-empty string, is refused rather than read two ways.
 */
public final class ActionHeader {
  public static final String NAME = "action";

  private ActionHeader() {
  }

  /** The action of a bus message; INVALID_ARGUMENT when missing, empty or given more than once. */
  public static String of(MultiMap headers) {
    List<String> values = headers.getAll(NAME);
    if (values.size() > 1) {
      throw OperationException.invalid("the 'action' header is given " + values.size() + " times; send it once");
    }
    return check(values.isEmpty() ? null : values.get(0));
  }

  /**
   * The action of a bridge frame's headers, which are a JSON object (keys case-sensitive there):
   * renames the one header that spells {@code action} in any case to {@code action}, so that what
   * is checked is what the bus delivers.
   */
  public static String of(JsonObject headers) {
    String found = null;
    int count = 0;
    for (String name : headers.fieldNames()) {
      if (NAME.equalsIgnoreCase(name)) {
        found = name;
        count++;
      }
    }
    if (count > 1) {
      throw OperationException.invalid("the 'action' header is given " + count + " times (names differ only in case); send it once");
    }
    Object value = found == null ? null : headers.getValue(found);
    if (found != null && !NAME.equals(found)) {
      headers.remove(found);
      headers.put(NAME, value);
    }
    if (value != null && !(value instanceof String)) {
      throw OperationException.invalid("the 'action' header must be a string naming the operation");
    }
    return check((String) value);
  }

  private static String check(String action) {
    if (action == null || action.isEmpty()) {
      throw OperationException.invalid("missing 'action' header naming the operation");
    }
    return action;
  }
}
