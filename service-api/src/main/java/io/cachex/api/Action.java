package io.cachex.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The traits of one action, declared on its contract method and nowhere else. Everything that
 * treats actions differently reads them from here (through {@link io.cachex.api.contract.Actions}):
 * request validation, the bridge policy, pipelines and transactions, {@code ignoreExceptions},
 * metrics, the coalescing and near-cached proxies. The build fails when an action is unclassified.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Action {

  /** Whether the action only reads or may change data. Required: every action is classified. */
  Access access();

  /**
   * Reads only: the reply under {@code ignoreExceptions} while Valkey/Redis is unreachable, as JSON
   * text ({@code "null"}, {@code "[]"}, {@code "{}"}, {@code "false"}, {@code "0"}, ...): what the same
   * read answers for a missing key. A read with a {@code defaultValue} parameter answers that value
   * instead of null. Writes leave it empty: they always fail.
   */
  String unavailable() default "";

  /** Where the action may run besides alone: in a pipeline, in a transaction. */
  Batch batch() default Batch.ANY;

  /** Refused to bridge clients unless their policy allows it: it runs caller code or deletes many keys. */
  boolean restricted() default false;

  /**
   * May wait for other clients (a blocking pop, a waiting lock acquisition): never coalesced with
   * other calls, and inside a pipeline only in a form that does not wait.
   */
  boolean waits() default false;

  /** Reads that are cache lookups, counted as hits and misses. */
  Lookup lookup() default Lookup.NONE;

  enum Access {
    READ, WRITE
  }

  enum Batch {
    /** Alone, in a pipeline or in a transaction (one round trip of commands known up front). */
    ANY,
    /** Alone or in a pipeline, where it runs as its own step; never in a transaction (several round trips). */
    PIPELINE,
    /** Alone only. */
    NONE
  }

  enum Lookup {
    NONE,
    /** One value: a null reply (or the caller's default) is a miss. */
    VALUE,
    /** An object of the keys found among the {@code keys} asked: each found key a hit, each other a miss. */
    MANY
  }
}
