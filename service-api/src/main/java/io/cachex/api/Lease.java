package io.cachex.api;

/**
 * What every lease the service grants has in common (a lock, a semaphore permit, the right to compute
 * a value): an expiry by the service's clock and its original length. {@link LeaseKeeper} keeps any of
 * them alive.
 */
public interface Lease {

  /** Epoch ms (the service's clock) when the lease runs out unless extended. */
  Long getExpiresAt();

  /** The lease length asked for, in ms; renewals extend back to it. */
  Long getLeaseMs();
}
