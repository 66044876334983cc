package io.cachex.server;

/** Why the node cannot start, in one sentence for the operator (no stack trace is printed). */
public final class StartupException extends RuntimeException {
  public StartupException(String sentence) {
    super(sentence, null, false, false);
  }
}
