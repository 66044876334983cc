package io.cachex.service.redis;

import io.cachex.api.CachexError;
import io.cachex.api.contract.OperationException;
import io.vertx.serviceproxy.ServiceException;

/**
 * Turns whatever went wrong under an operation into a {@link ServiceException} with a stable code
 * and a message naming the operation and the key: our own {@link OperationException}s keep their
 * code, Valkey/Redis error replies go through {@link RedisErrors}, transport failures are
 * UNAVAILABLE, anything else is a bug (INTERNAL).
 */
public final class RedisFailures {
  private RedisFailures() {
  }

  public static ServiceException translate(String op, String key, Throwable failure) {
    if (failure instanceof ServiceException) {
      return (ServiceException) failure;
    }
    if (failure instanceof OperationException) {
      return ((OperationException) failure).error().exception(op, key, failure.getMessage());
    }
    if (failure instanceof IllegalArgumentException) {
      return CachexError.INVALID_ARGUMENT.exception(op, key, failure.getMessage());
    }
    if (RedisErrors.isReply(failure)) {
      return RedisErrors.codeOf(failure).exception(op, key, RedisErrors.describe(failure));
    }
    String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    if (failure instanceof StackOverflowError || failure instanceof OutOfMemoryError) {
      return CachexError.INTERNAL.exception(op, key, failure.getClass().getSimpleName() + " while handling the request");
    }
    if (failure instanceof RuntimeException && !(failure instanceof io.vertx.core.VertxException)) {
      // a bug on our side (NullPointerException, ClassCastException...): say so rather than blame the server
      return CachexError.INTERNAL.exception(op, key, failure.getClass().getSimpleName() + ": " + message);
    }
    return CachexError.UNAVAILABLE.exception(op, key, "Valkey/Redis connection failed: " + message);
  }

  /**
   * A failure as an unchecked exception that keeps its meaning: our own exceptions as they are, an
   * error reply (a checked Throwable in vertx-redis-client) as an {@link OperationException} with its
   * code from {@link RedisErrors}, anything else as UNAVAILABLE. For decoders that report a failure
   * they were handed.
   */
  public static RuntimeException unchecked(Throwable failure) {
    if (failure instanceof RuntimeException) {
      return (RuntimeException) failure;
    }
    if (RedisErrors.isReply(failure)) {
      return new OperationException(RedisErrors.codeOf(failure), RedisErrors.describe(failure));
    }
    return new OperationException(CachexError.UNAVAILABLE, "Valkey/Redis connection failed: "
        + (failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage()));
  }
}
