package io.cachex.service.codec;

/**
 * One format of the serializer chain. Implementations are stateless and thread-safe.
 * <p>
 * {@link #serialize} receives a JSON value that is not an integral number (those are stored as decimal ASCII
 * by {@link ValueCodec} itself): {@code null}, {@code Boolean}, {@code Double}, {@code BigDecimal}, a
 * {@code BigInteger} outside the long range, {@code String}, {@code JsonObject} or {@code JsonArray}.
 * {@link #deserialize} must consume the whole input or throw; it may return {@code Map}/{@code List} or
 * {@code JsonObject}/{@code JsonArray}, and any {@code Number}: {@link ValueCodec} normalises the top level.
 */
public interface Serializer {

  /** The name used in configuration ({@code "json"}, {@code "cbor"}, {@code "smile"}). */
  String name();

  byte[] serialize(Object jsonValue);

  /** Reads exactly {@code length} bytes; throws when they are not one complete value in this format. */
  Object deserialize(byte[] bytes, int offset, int length) throws Exception;

  /**
   * A cheap look at the first bytes: {@code false} when this format certainly did not write them, so that the
   * read chain skips it without parsing (and without an exception). The default says "maybe".
   */
  default boolean mayRead(byte[] bytes, int offset, int length) {
    return true;
  }

  /** Why {@link #mayRead} refused, for the decode error message. */
  default String refusal() {
    return "not this format";
  }
}
