package io.cachex.api.contract;

import io.cachex.api.CachexError;

/**
 * The one exception the service throws inside an operation to fail it with a code: bad input found
 * by the wire rules, a limit, a refused or unreachable server. Whoever answers the caller adds the
 * operation name and key ({@link CachexError#exception}). Stackless: these are expected outcomes.
 */
public final class OperationException extends RuntimeException {
  private final CachexError error;

  public OperationException(CachexError error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  public CachexError error() {
    return error;
  }

  /** INVALID_ARGUMENT with this detail. */
  public static OperationException invalid(String detail) {
    return new OperationException(CachexError.INVALID_ARGUMENT, detail);
  }
}
