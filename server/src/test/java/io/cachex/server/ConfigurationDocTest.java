package io.cachex.server;

import io.cachex.api.config.ConfigSection;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/CONFIGURATION.md against the code, both ways: every option the readers read is documented with its
 * default, and every documented option is read. The options and defaults come from the readers themselves
 * ({@link ConfigSection#defaults()}), so this cannot drift from what the launcher accepts.
 */
class ConfigurationDocTest {
  static final Path DOC = Path.of("..", "docs", "CONFIGURATION.md");
  /** A table row: | `option` (or `other`) ... | default | meaning | */
  static final Pattern ROW = Pattern.compile("^\\|\\s*(`[^|]*)\\|([^|]*)\\|");
  static final Pattern NAME = Pattern.compile("`([a-zA-Z][a-zA-Z0-9.]*)`");

  @Test
  void everyOptionIsDocumentedWithItsDefaultAndEveryDocumentedOptionExists() throws Exception {
    Map<String, Object> code = ServerConfig.read(new JsonObject(), false).defaults;
    Map<String, String> documented = documentedDefaults();
    List<String> problems = new ArrayList<>();
    code.forEach((option, def) -> {
      String doc = documented.get(option);
      if (doc == null) {
        problems.add(option + ": read by the code, not documented (default " + render(def) + ")");
      } else if (!doc.equals(render(def))) {
        problems.add(option + ": documented default '" + doc + "', the code's is '" + render(def) + "'");
      }
    });
    documented.keySet().stream().filter(o -> !code.containsKey(o))
        .forEach(o -> problems.add(o + ": documented, but no code reads it"));
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  /** Option → its default cell, without backticks and without a trailing "(...)" remark. */
  static Map<String, String> documentedDefaults() throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (String line : Files.readAllLines(DOC)) {
      Matcher row = ROW.matcher(line);
      if (!row.find()) {
        continue;
      }
      String cell = row.group(2).trim().replaceAll("\\s*\\([^)]*\\)$", "").replace("`", "").trim();
      Matcher name = NAME.matcher(row.group(1));
      while (name.find()) {
        if (!name.group(1).matches("[A-Z_]+")) { // the environment variables' table names variables
          options.put(name.group(1), cell);
        }
      }
    }
    return options;
  }

  /** How a default is written in the documentation: JSON for values, the words for described ones. */
  static String render(Object def) {
    if (def instanceof String) {
      return "\"" + def + "\"";
    }
    if (def instanceof Number && ((Number) def).doubleValue() == Math.rint(((Number) def).doubleValue())) {
      return String.valueOf(((Number) def).longValue());
    }
    return String.valueOf(def).replaceAll("\\s*\\([^)]*\\)$", "");
  }
}
