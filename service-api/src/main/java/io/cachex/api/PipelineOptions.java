package io.cachex.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * Options of a {@code pipeline}: {@code transaction} runs the commands inside MULTI/EXEC (all or
 * nothing applied together, refused as a whole when an operation has invalid arguments);
 * {@code version} is the key version of every operation that does not name one.
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

  public PipelineOptions setTransaction(boolean transaction) {
    json.put("transaction", transaction);
    return this;
  }

  public PipelineOptions setVersion(Integer version) {
    json.put("version", version);
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
