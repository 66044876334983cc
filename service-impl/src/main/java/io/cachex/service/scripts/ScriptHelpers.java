package io.cachex.service.scripts;

import io.cachex.api.CachexError;
import io.cachex.api.contract.OperationException;
import io.cachex.service.codec.DecodeException;
import io.cachex.service.ops.OpContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;

/** What hooks get: the service's key function, codec and the call's version. */
public final class ScriptHelpers {
  private final OpContext ops;
  private final int version;

  public ScriptHelpers(OpContext ops, int version) {
    this.ops = ops;
    this.version = version;
  }

  public int version() {
    return version;
  }

  /** The stored key of {@code key} at {@code version} (null = the call's version). */
  public String makeKey(String key, Integer version) {
    return ops.key(key, version == null ? this.version : version);
  }

  public List<String> makeKeys(List<String> keys) {
    List<String> out = new ArrayList<>();
    if (keys != null) {
      for (String k : keys) {
        out.add(makeKey(k, null));
      }
    }
    return out;
  }

  /** The stored form of a value, usable as a script argument. */
  public Buffer encode(Object value) {
    return ops.encode(value);
  }

  public JsonArray encodeValues(JsonArray values) {
    JsonArray out = new JsonArray();
    if (values != null) {
      for (int i = 0; i < values.size(); i++) {
        out.add(encode(values.getValue(i))); // caller values are JSON; getValue wraps maps/lists as Json types
      }
    }
    return out;
  }

  /** Decodes a stored form (Buffer, byte[] or String); null stays null, Longs stay Longs. */
  public Object decode(Object stored) {
    if (stored == null || stored instanceof Long) {
      return stored;
    }
    Buffer b = stored instanceof Buffer ? (Buffer) stored
        : stored instanceof byte[] ? Buffer.buffer((byte[]) stored) : Buffer.buffer(String.valueOf(stored));
    try {
      return ops.codec.decode(b);
    } catch (DecodeException e) {
      throw new OperationException(CachexError.DECODE_FAILED,
          "script result cannot be decoded: " + e.getMessage());
    }
  }

  public JsonArray decodeValues(JsonArray stored) {
    JsonArray out = new JsonArray();
    if (stored != null) {
      for (Object e : stored.getList()) { // raw elements: getValue would turn Buffers into base64
        out.add(decode(e));
      }
    }
    return out;
  }
}
