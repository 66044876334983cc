package io.cachex.api.config;

/** A configuration mistake, described in one sentence that names the option by its full path. */
public final class ConfigException extends IllegalArgumentException {
  public ConfigException(String message) {
    super(message);
  }
}
