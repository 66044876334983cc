package io.cachex.api.contract;

import java.util.Set;

/**
 * One parameter of an action: its field name on the wire, its wire type, whether it may be omitted
 * ({@code @Nullable}), its Java type, and whether it names a key (keys are non-empty strings).
 */
public record Param(String name, WireType type, boolean required, Class<?> javaType, boolean key) {

  /** Parameters that name keys of the caller (or lock and script names), in order of precedence. */
  static final Set<String> KEY_NAMES = Set.of("key", "keys", "src", "dst", "dest", "name");
}
