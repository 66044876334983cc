package io.cachex.service.redis;

import io.cachex.api.CachexError;

/** Thrown inside an operation to fail it with a code; the operation wrapper adds op name and key. */
public final class OperationException extends RuntimeException {
  private final CachexError error;

  public OperationException(CachexError error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  public CachexError error() {
    return error;
  }
}
