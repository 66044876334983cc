package io.cachex.service.locks;

import io.cachex.api.CachexError;
import io.cachex.api.contract.OperationException;
import io.cachex.service.keys.KeyFunction;
import io.cachex.service.redis.ClusterNodes;

/**
 * Keys of the service's coordination data (lock fences, compute leases, semaphores) next to a
 * caller's key, in the same Redis Cluster slot, so that one script can act on both.
 */
public final class LockKeys {
  /** How long a fencing counter outlives the lease that last set it. */
  public static final long FENCE_RETENTION_MS = 24 * 3600 * 1000L;
  private LockKeys() {
  }

  /**
   * The fencing counter of a stored lock key, among the service's own keys. It expires
   * {@link #FENCE_RETENTION_MS} after the lease that last set it; tokens keep increasing without it
   * (see lock_acquire.lua), so it need not live forever.
   */
  public static String fenceKey(KeyFunction keys, ClusterNodes cluster, String lockKey) {
    return beside(keys, cluster, "fence", lockKey);
  }

  /**
   * A key of the service's own data about {@code storedKey}, inside the service's namespace
   * ({@link KeyFunction#internalKey}: {@code prefix:cachex:<kind>:...}) and in the slot of
   * {@code storedKey}: {@code <kind>:{storedKey}} when the stored key has no hash tag (the whole stored
   * key becomes the tag), else {@code <kind>:storedKey} (its own tag comes first). Every key that starts
   * with it shares its slot. On Redis Cluster ({@code cluster} not null) a prefix that breaks this (an
   * empty or unbalanced hash tag) is NOT_SUPPORTED.
   */
  public static String beside(KeyFunction keys, ClusterNodes cluster, String kind, String storedKey) {
    String key = keys.internalKey(kind + ":" + (hasHashTag(storedKey) ? storedKey : "{" + storedKey + "}"));
    if (cluster != null && (!hasHashTag(key) || ClusterNodes.slot(key) != ClusterNodes.slot(storedKey))) {
      throw new OperationException(CachexError.NOT_SUPPORTED,
          "the key prefix's hash tag does not keep the service's " + kind + " data in the key's Redis Cluster slot");
    }
    return key;
  }

  /** Redis' rule: the first '{', then the first '}' after it, with at least one character between. */
  static boolean hasHashTag(String key) {
    int open = key.indexOf('{');
    if (open < 0) {
      return false;
    }
    int close = key.indexOf('}', open + 1);
    return close > open + 1;
  }
}
