package io.cachex.service.locks;

import io.cachex.service.keys.KeyFunction;
import io.cachex.service.redis.ClusterNodes;

/**
 * Where a lock keeps its fencing counter: among the service's own keys
 * ({@code prefix:cachex:fence:<lock key>}, see {@link KeyFunction#internalKey}), in the Redis Cluster
 * slot of the lock key, so that one script can update both. The counter expires a while after the
 * lease ({@link #FENCE_RETENTION_MS}); tokens stay increasing without it (see lock_acquire.lua).
 */
public final class LockKeys {
  /** How long a fencing counter outlives the lease that last set it. */
  public static final long FENCE_RETENTION_MS = 24 * 3600 * 1000L;

  private LockKeys() {
  }

  /**
   * The fencing counter of a stored lock key. Its hash slot must be the lock key's: the prefix's hash
   * tag (if any) or the lock key's own serves as is; otherwise the lock key is made the tag.
   */
  public static String fenceKey(KeyFunction keys, String lockKey) {
    String plain = keys.internalKey("fence:" + lockKey);
    if (ClusterNodes.slot(plain) == ClusterNodes.slot(lockKey)) {
      return plain;
    }
    return keys.internalKey("fence:{" + lockKey + "}");
  }
}
