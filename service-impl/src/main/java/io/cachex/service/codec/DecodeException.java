package io.cachex.service.codec;

/**
 * Stored bytes could not be turned back into a value. The message names the stage that failed
 * ({@code "lz4: ..."}, {@code "lz4 frame: ..."}, {@code "no serializer of [json, cbor] could read ..."}); the
 * caller adds the key and the operation.
 */
public class DecodeException extends Exception {

  private static final long serialVersionUID = 1L;

  public DecodeException(String message) {
    super(message);
  }

  public DecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
