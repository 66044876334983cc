package io.cachex.service.redis;

import io.cachex.api.CachexError;
import io.vertx.redis.client.Response;
import io.vertx.serviceproxy.ServiceException;

/**
 * Turns whatever went wrong under an operation into a {@link ServiceException} with a stable code
 * and a message naming the operation and the key. Server error replies are matched by their
 * Redis error prefix; everything from the transport is UNAVAILABLE.
 */
public final class RedisFailures {
  private RedisFailures() {
  }

  public static ServiceException translate(String op, String key, Throwable failure) {
    if (failure instanceof ServiceException) {
      return (ServiceException) failure;
    }
    if (failure instanceof GatewayException) {
      return ((GatewayException) failure).error().exception(op, key, failure.getMessage());
    }
    if (failure instanceof OperationException) {
      return ((OperationException) failure).error().exception(op, key, failure.getMessage());
    }
    if (failure instanceof IllegalArgumentException) {
      return CachexError.INVALID_ARGUMENT.exception(op, key, failure.getMessage());
    }
    String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    if (failure instanceof Response || message.contains("CROSSSLOT") || message.contains("Transactions in Redis cluster disabled")) {
      // the cluster client refuses cross-slot commands itself, with the server's wording
      return serverError(op, key, message);
    }
    if (failure instanceof RuntimeException && !(failure instanceof io.vertx.core.VertxException)) {
      // a bug on our side (NullPointerException, ClassCastException...): say so rather than blame the server
      return CachexError.INTERNAL.exception(op, key, failure.getClass().getSimpleName() + ": " + message);
    }
    return CachexError.UNAVAILABLE.exception(op, key, "Valkey/Redis connection failed: " + message);
  }

  private static ServiceException serverError(String op, String key, String message) {
    String m = message;
    if (m.startsWith("WRONGTYPE")) {
      return CachexError.WRONG_TYPE.exception(op, key, "the key holds another type of value (" + m + ")");
    }
    if (m.contains("not an integer") || m.contains("not a valid float") || m.contains("is not a float")) {
      return CachexError.WRONG_TYPE.exception(op, key, "the stored value is not a number (" + m + ")");
    }
    if (m.startsWith("ERR no such key")) {
      return CachexError.NOT_FOUND.exception(op, key, "no such key");
    }
    if (m.startsWith("ERR index out of range")) {
      return CachexError.INVALID_ARGUMENT.exception(op, key, "index out of range");
    }
    if (m.contains("overflow") || m.startsWith("ERR invalid expire time")) {
      return CachexError.INVALID_ARGUMENT.exception(op, key, m);
    }
    if (m.contains("CROSSSLOT")) {
      return CachexError.NOT_SUPPORTED.exception(op, key,
          "the keys of one call map to different Redis Cluster slots; give them a common hash tag such as {user42}");
    }
    if (m.contains("Transactions in Redis cluster disabled")) {
      return CachexError.NOT_SUPPORTED.exception(op, key, "transactions are not available on Redis Cluster");
    }
    if (m.equals("CONNECTION_CLOSED")) {
      // not from the server: vertx-redis-client fails the replies still awaited on a closed connection
      // with this error reply of its own
      return CachexError.UNAVAILABLE.exception(op, key, "Valkey/Redis connection closed before the reply");
    }
    if (m.startsWith("LOADING") || m.startsWith("MASTERDOWN") || m.startsWith("READONLY") || m.startsWith("TRYAGAIN")
        || m.startsWith("CLUSTERDOWN") || m.startsWith("BUSY") || m.startsWith("NOAUTH") || m.startsWith("WRONGPASS")
        || m.startsWith("NOPERM")) {
      return CachexError.UNAVAILABLE.exception(op, key, "Valkey/Redis refused the command: " + m);
    }
    return CachexError.INTERNAL.exception(op, key, "Valkey/Redis replied with an error: " + m);
  }
}
