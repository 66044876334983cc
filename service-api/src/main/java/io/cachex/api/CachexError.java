package io.cachex.api;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;

/**
 * Stable error codes. Every failed operation reaches the caller as a {@link ServiceException} whose
 * {@code failureCode()} is {@link #code()} and whose message starts with {@link #name()}, then the
 * operation and key: {@code "WRONG_TYPE hget(user:1): key holds a string"}. Bridges drop debug info,
 * so everything a client needs is in the code and the message.
 */
public enum CachexError {
  /** Missing or wrongly typed field, empty key, unknown action, bad option. */
  INVALID_ARGUMENT(400),
  /** The caller may not run this action (bridge policy, ad-hoc scripts disabled). */
  FORBIDDEN(403),
  /** The key (or rename source, or version) does not exist. */
  NOT_FOUND(404),
  /** The key holds another Redis type than the operation needs, or a value is not an integer. */
  WRONG_TYPE(409),
  /** A key, value, collection or script is over a configured limit. */
  TOO_LARGE(413),
  /** A stored value could not be decompressed or deserialized by any codec of the chain. */
  DECODE_FAILED(422),
  /**
   * Release, extend or use of a lease that this token no longer holds: a lock, a semaphore permit, the
   * lease to compute a value (it expired, was released, or another holder has it).
   */
  LOCK_NOT_OWNED(423),
  /** More requests in flight than the service accepts; retry later. */
  OVERLOADED(429),
  /** A bug or an unexpected server reply. */
  INTERNAL(500),
  /** The operation cannot run on this topology or configuration (e.g. cross-slot on Cluster). */
  NOT_SUPPORTED(501),
  /** Valkey/Redis is unreachable. */
  UNAVAILABLE(503),
  /** Valkey/Redis did not answer within the command timeout. */
  TIMEOUT(504);

  private final int code;

  CachexError(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** A failed future carrying this code; {@code key} may be null for key-less operations. */
  public <T> Future<T> fail(String op, String key, String detail) {
    return Future.failedFuture(exception(op, key, detail));
  }

  public ServiceException exception(String op, String key, String detail) {
    String where = key == null ? op : op + "(" + key + ")";
    JsonObject debug = new JsonObject().put("code", name()).put("op", op);
    if (key != null) {
      debug.put("key", key);
    }
    return new ServiceException(code, name() + " " + where + ": " + detail, debug);
  }

  /** The code of a failure received from the service, or null when it is not one of ours. */
  public static CachexError of(Throwable failure) {
    if (failure instanceof ReplyException) {
      int c = ((ReplyException) failure).failureCode();
      String message = failure.getMessage();
      for (CachexError e : values()) {
        if (e.code == c && message != null && message.startsWith(e.name())) {
          return e;
        }
      }
    }
    return null;
  }
}
