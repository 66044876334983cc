package io.cachex.service.keys;

/** Redis glob-style pattern helpers. */
public final class Glob {
  private Glob() {
  }

  /** Escapes the glob metacharacters {@code * ? [ ] \} so that the text matches only itself. */
  public static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean special = c == '*' || c == '?' || c == '[' || c == ']' || c == '\\';
      if (special && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (out != null) {
        if (special) {
          out.append('\\');
        }
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }
}
