package io.cachex.api.near;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** How a {@link NearCache} keeps values: its bounds, the keys it applies to, and where it hears of changes. */
public final class NearCacheOptions {
  private long maxEntries = 10_000;
  private long maxAgeMs = 60_000;
  private long heartbeatTimeoutMs = 3_000;
  private String invalidationAddress;
  private List<String> keyPrefixes = new ArrayList<>();

  /** Most caller keys held (least recently and frequently used ones are evicted first). Default 10,000. */
  public long getMaxEntries() {
    return maxEntries;
  }

  public NearCacheOptions setMaxEntries(long maxEntries) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries must be >= 0");
    }
    this.maxEntries = maxEntries;
    return this;
  }

  /** Longest time an entry is answered from memory after it was read from Valkey/Redis. Default 60 s. */
  public long getMaxAgeMs() {
    return maxAgeMs;
  }

  public NearCacheOptions setMaxAgeMs(long maxAgeMs) {
    if (maxAgeMs <= 0) {
      throw new IllegalArgumentException("maxAgeMs must be > 0");
    }
    this.maxAgeMs = maxAgeMs;
    return this;
  }

  /**
   * How long the near cache trusts a service instance without a heartbeat from it; past that it flushes and
   * answers nothing from memory until heartbeats come again. Default 3 s (three of the service's default
   * heartbeats).
   */
  public long getHeartbeatTimeoutMs() {
    return heartbeatTimeoutMs;
  }

  public NearCacheOptions setHeartbeatTimeoutMs(long heartbeatTimeoutMs) {
    if (heartbeatTimeoutMs <= 0) {
      throw new IllegalArgumentException("heartbeatTimeoutMs must be > 0");
    }
    this.heartbeatTimeoutMs = heartbeatTimeoutMs;
    return this;
  }

  /** The service's {@code nearCache.invalidationAddress}; null (the default) means {@code <service address>.invalidations}. */
  public String getInvalidationAddress() {
    return invalidationAddress;
  }

  public NearCacheOptions setInvalidationAddress(String invalidationAddress) {
    this.invalidationAddress = invalidationAddress;
    return this;
  }

  /** Only caller keys starting with one of these are kept near; empty (the default) means every key. */
  public List<String> getKeyPrefixes() {
    return keyPrefixes;
  }

  public NearCacheOptions setKeyPrefixes(List<String> keyPrefixes) {
    this.keyPrefixes = new ArrayList<>(Objects.requireNonNull(keyPrefixes, "keyPrefixes"));
    return this;
  }

  public NearCacheOptions addKeyPrefix(String prefix) {
    keyPrefixes.add(Objects.requireNonNull(prefix, "prefix"));
    return this;
  }
}
