package io.cachex.bench;

/** A client under test: prepares a workload (pre-loading what it reads) and hands back its request. */
public interface BenchClient extends AutoCloseable {

  /** Thrown by {@link #prepare} when this client cannot run a workload; the message goes to the notes. */
  final class Skip extends Exception {
    public Skip(String why) {
      super(why, null, false, false);
    }
  }

  String name();

  /** Where slots start (see {@link Driver.Issuer}). */
  Driver.Issuer issuer();

  /** Pre-loads the data the workload reads and returns its request. */
  Driver.Op prepare(Workload w) throws Exception;

  /** Setup facts worth printing (pool sizes, instances...). */
  default String describe() {
    return "";
  }

  @Override
  void close() throws Exception;
}
