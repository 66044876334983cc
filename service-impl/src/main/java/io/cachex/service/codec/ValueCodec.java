package io.cachex.service.codec;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** TEMPORARY placeholder; replaced by the codec chain from the codec branch. */
public final class ValueCodec {
  public static ValueCodec fromConfig(JsonObject config) { return new ValueCodec(); }
  public static ValueCodec defaults() { return new ValueCodec(); }
  public Buffer encode(Object value) {
    if (value instanceof Long || value instanceof Integer) return Buffer.buffer(value.toString());
    return Json.encodeToBuffer(value);
  }
  public Object decode(Buffer stored) throws DecodeException {
    String s = stored.toString();
    try { return Long.parseLong(s); } catch (NumberFormatException e) { }
    try { return Json.decodeValue(stored); } catch (RuntimeException e) { throw new DecodeException("json: " + e.getMessage()); }
  }
  public JsonObject describe() { return new JsonObject(); }
}
