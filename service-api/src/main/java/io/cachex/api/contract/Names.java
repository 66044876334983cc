package io.cachex.api.contract;

import java.util.Collection;
import java.util.Locale;

/** Suggestions for misspelt names ("did you mean ...?") in error messages. */
public final class Names {
  private Names() {
  }

  /**
   * The name of {@code valid} closest to {@code wrong}: equal ignoring case, or at most two edits
   * away (a third of the length for short names); null when none is close.
   */
  public static String nearest(String wrong, Collection<String> valid) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = wrong.toLowerCase(Locale.ROOT);
    for (String candidate : valid) {
      int d = candidate.toLowerCase(Locale.ROOT).equals(lower) ? 0 : distance(lower, candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    int allowed = Math.min(2, Math.max(1, wrong.length() / 3));
    return bestDistance <= allowed ? best : null;
  }

  /** {@code " (did you mean 'x'?)"}, or empty. */
  public static String hint(String wrong, Collection<String> valid) {
    String n = nearest(wrong, valid);
    return n == null ? "" : " (did you mean '" + n + "'?)";
  }

  /** Levenshtein distance, two rows. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
