package io.cachex.service.redis;

import io.cachex.api.CachexError;

/** A failure of the connection layer itself (not a server error reply). Stackless: these are expected. */
public final class GatewayException extends RuntimeException {
  private final CachexError error;

  public GatewayException(CachexError error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  public CachexError error() {
    return error;
  }
}
