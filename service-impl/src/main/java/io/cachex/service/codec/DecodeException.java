package io.cachex.service.codec;

/** TEMPORARY placeholder; replaced by the codec branch. */
public class DecodeException extends Exception {
  public DecodeException(String message) { super(message); }
}
