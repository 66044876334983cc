package io.cachex.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * Options of a {@code pipeline}: {@code transaction} runs the commands inside MULTI/EXEC (refused
 * as a whole, with nothing sent, when an operation is invalid or cannot run in a transaction).
 */
@DataObject
public class PipelineOptions {
  private final JsonObject json;

  public PipelineOptions() {
    this(new JsonObject());
  }

  public PipelineOptions(JsonObject json) {
    this.json = json == null ? new JsonObject() : json;
  }

  public JsonObject toJson() {
    return json;
  }

  public boolean isTransaction() {
    return json.getBoolean("transaction", false);
  }

  public PipelineOptions setTransaction(boolean transaction) {
    json.put("transaction", transaction);
    return this;
  }

  /** Shortcut for {@code new PipelineOptions().setTransaction(true)}. */
  public static PipelineOptions transaction() {
    return new PipelineOptions().setTransaction(true);
  }

  @Override
  public String toString() {
    return json.encode();
  }
}
