package io.cachex.service.locks;

/** Keys of a lock next to its value key, in the same Redis Cluster slot. */
public final class LockKeys {
  private LockKeys() {
  }

  /**
   * The fencing counter of a lock key: {@code storedKey + ":fence"} when the stored key already has
   * a valid hash tag (its slot is the tag's), else {@code "{" + storedKey + "}:fence"} (the whole
   * stored key as tag, the slot of the lock key itself).
   */
  public static String fenceKey(String storedKey) {
    return hasHashTag(storedKey) ? storedKey + ":fence" : "{" + storedKey + "}:fence";
  }

  /** Redis' rule: the first '{', then the first '}' after it, with at least one character between. */
  static boolean hasHashTag(String key) {
    int open = key.indexOf('{');
    if (open < 0) {
      return false;
    }
    int close = key.indexOf('}', open + 1);
    return close > open + 1;
  }
}
