package io.cachex.service.keys;

/** Django's key function: {@code prefix:version:key}, prefix {@code ""} by default (so {@code ":1:foo"}). */
public class PrefixVersionKeyFunction implements KeyFunction {
  private String prefix = "";
  private String escapedPrefix = "";

  @Override
  public void init(String prefix) {
    this.prefix = prefix == null ? "" : prefix;
    this.escapedPrefix = Glob.escape(this.prefix);
  }

  @Override
  public String makeKey(String key, int version) {
    return prefix + ':' + version + ':' + key;
  }

  @Override
  public String reverseKey(String storedKey) {
    if (!storedKey.startsWith(prefix) || storedKey.length() <= prefix.length() || storedKey.charAt(prefix.length()) != ':') {
      return null;
    }
    int versionEnd = storedKey.indexOf(':', prefix.length() + 1);
    return versionEnd < 0 ? null : storedKey.substring(versionEnd + 1);
  }

  /** {@code prefix:}: every version's keys and the internal ones. */
  @Override
  public String trackingPrefix() {
    return prefix + ':';
  }

  /** {@code prefix:cachex:name}: a version is always an integer, so no caller key looks like it. */
  @Override
  public String internalKey(String name) {
    return prefix + ":cachex:" + name;
  }

  @Override
  public String makePattern(String pattern, int version) {
    return escapedPrefix + ':' + version + ':' + pattern;
  }
}
