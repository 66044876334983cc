package io.cachex.service.scripts;

/**
 * Rewrites a script's reply. {@code result} is the raw mapping: Long, Buffer (bulk string),
 * String (status), JsonArray (nested), or null. Buffers left in the hook's result become text.
 */
@FunctionalInterface
public interface PostHook {
  Object apply(ScriptHelpers h, Object result);
}
