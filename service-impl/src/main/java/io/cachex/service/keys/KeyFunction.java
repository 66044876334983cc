package io.cachex.service.keys;

/**
 * Maps a caller's key and version to the key stored in Redis, and back. Pluggable (config
 * {@code keyFunction}: a class name with a public no-arg constructor); {@link PrefixVersionKeyFunction}
 * is Django's {@code prefix:version:key}.
 */
public interface KeyFunction {

  /** Called once with the configured prefix before any other method. */
  default void init(String prefix) {
  }

  /** The stored key of {@code key} at {@code version}. */
  String makeKey(String key, int version);

  /** The caller's key of a stored key, or null when the stored key is not one of ours. */
  String reverseKey(String storedKey);

  /**
   * A Redis glob matching the stored keys whose caller key matches {@code pattern} at {@code version}.
   * The caller's pattern is used as is; only the prefix part is glob-escaped.
   */
  String makePattern(String pattern, int version);

  /**
   * A key for the service's own data (the named-script registry...): under the prefix, apart from
   * every caller key at any version, in the prefix's hash slot when the prefix carries a hash tag.
   */
  String internalKey(String name);

  /**
   * The prefix every stored key of this function starts with (the caller keys of every version and the
   * service's own data), for server-assisted client tracking ({@code CLIENT TRACKING ... BCAST PREFIX}).
   * The empty string, the default, tracks every key of the database.
   */
  default String trackingPrefix() {
    return "";
  }
}
