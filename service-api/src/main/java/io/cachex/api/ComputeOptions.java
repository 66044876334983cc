package io.cachex.api;

/**
 * Options of {@link ComputeOnce#getOrCompute} (Java only): the lease asked for ({@link LeaseOptions};
 * its {@code blockingTimeout} is set per request), the expiry and stampede choice of the stored value,
 * the key's version, the longest the whole call may wait for a value computed elsewhere
 * ({@code maxWaitMs}, default 60 s) and the longest one waiting request may last ({@code waitSliceMs},
 * default 5 s: keep it below the proxy's send timeout).
 */
public final class ComputeOptions {
  private LeaseOptions lease = new LeaseOptions();
  private ExpiryOptions expiry;
  private Stampede stampede;
  private Integer version;
  private long maxWaitMs = 60_000;
  private long waitSliceMs = 5_000;

  public LeaseOptions lease() {
    return lease;
  }

  public ExpiryOptions expiry() {
    return expiry;
  }

  public Stampede stampede() {
    return stampede;
  }

  public Integer version() {
    return version;
  }

  public long maxWaitMs() {
    return maxWaitMs;
  }

  public long waitSliceMs() {
    return waitSliceMs;
  }

  public ComputeOptions setLease(LeaseOptions lease) {
    this.lease = lease == null ? new LeaseOptions() : lease;
    return this;
  }

  /** The expiry of the stored value (absent: the service's default timeout). */
  public ComputeOptions setExpiry(ExpiryOptions expiry) {
    this.expiry = expiry;
    return this;
  }

  public ComputeOptions setStampede(Stampede stampede) {
    this.stampede = stampede;
    return this;
  }

  public ComputeOptions setVersion(Integer version) {
    this.version = version;
    return this;
  }

  public ComputeOptions setMaxWaitMs(long ms) {
    if (ms <= 0) {
      throw new IllegalArgumentException("maxWaitMs must be positive");
    }
    this.maxWaitMs = ms;
    return this;
  }

  public ComputeOptions setWaitSliceMs(long ms) {
    if (ms <= 0) {
      throw new IllegalArgumentException("waitSliceMs must be positive");
    }
    this.waitSliceMs = ms;
    return this;
  }
}
