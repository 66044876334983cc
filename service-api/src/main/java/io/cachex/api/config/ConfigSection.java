package io.cachex.api.config;

import io.cachex.api.contract.Names;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One object of a JSON configuration, read option by option. Every read names the option and its default,
 * so the readers are the schema: {@link #rejectUnknown()} refuses any key that no reader asked for (with the
 * nearest valid name), and {@link #defaults()} lists every option with its default (docs/CONFIGURATION.md is
 * checked against it).
 *
 * <p>Durations carry their unit in the option name: {@code ...Ms} for milliseconds, {@code ...Seconds} for
 * seconds. A name given without its unit (or misspelt) is suggested with it.
 */
public final class ConfigSection {
  private static final Pattern UNIT = Pattern.compile("(Ms|Seconds)$");
  /** The default of an option that has none (it is simply absent). */
  public static final Described NONE = new Described("none");

  /** A default that depends on something else, in words (for the documentation). */
  public record Described(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  private final JsonObject json;
  private final String path;
  private final Map<String, Object> options = new LinkedHashMap<>();
  private final Map<String, ConfigSection> sections = new LinkedHashMap<>();

  private ConfigSection(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  /** The top of a configuration; {@code null} reads as an empty object. */
  public static ConfigSection root(JsonObject json) {
    return new ConfigSection(json == null ? new JsonObject() : json, "");
  }

  /** A nested object (an empty one when absent). */
  public ConfigSection section(String name) {
    ConfigSection known = sections.get(name);
    if (known != null) {
      return known;
    }
    Object v = json.getValue(name);
    if (v != null && !(v instanceof JsonObject)) {
      throw new ConfigException(describe(name) + " must be an object");
    }
    ConfigSection s = new ConfigSection(v == null ? new JsonObject() : (JsonObject) v, pathOf(name));
    sections.put(name, s);
    return s;
  }

  /** The object itself, as given. */
  public JsonObject rawJson() {
    return json;
  }

  /** Whether the configuration has this key (with any value, null included). */
  public boolean has(String name) {
    return json.containsKey(name);
  }

  public String string(String name, String def) {
    Object v = read(name, def);
    if (v == null) {
      return def;
    }
    if (!(v instanceof String)) {
      throw new ConfigException(describe(name) + " must be a string");
    }
    return (String) v;
  }

  /** A string whose default depends on other options (the caller decides), or null when absent. */
  public String optionalString(String name, String defaultDescription) {
    Object v = read(name, new Described(defaultDescription));
    if (v != null && !(v instanceof String)) {
      throw new ConfigException(describe(name) + " must be a string");
    }
    return (String) v;
  }

  /** A string that must be one of {@code allowed} (compared ignoring case). */
  public String choice(String name, String def, List<String> allowed) {
    String v = string(name, def);
    for (String a : allowed) {
      if (a.equalsIgnoreCase(v)) {
        return a;
      }
    }
    throw new ConfigException(describe(name) + " must be one of " + allowed + ", not '" + v + "'" + Names.hint(v, allowed));
  }

  public boolean bool(String name, boolean def) {
    Object v = read(name, def);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Boolean)) {
      throw new ConfigException(describe(name) + " must be true or false");
    }
    return (Boolean) v;
  }

  /** true, false, or null when absent (for options whose default depends on other options). */
  public Boolean optionalBool(String name, String defaultDescription) {
    Object v = read(name, new Described(defaultDescription));
    if (v == null) {
      return null;
    }
    if (!(v instanceof Boolean)) {
      throw new ConfigException(describe(name) + " must be true or false");
    }
    return (Boolean) v;
  }

  public double number(String name, double def) {
    Object v = read(name, def);
    return v == null ? def : toNumber(name, v);
  }

  /** A number, or null when the option is present with the value null (absent: {@code def}). */
  public Double nullableNumber(String name, double def) {
    Object v = read(name, def);
    if (v == null) {
      return json.containsKey(name) ? null : def;
    }
    return toNumber(name, v);
  }

  /** An integer at least {@code min}. */
  public int integer(String name, int def, int min) {
    Object v = read(name, def);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)
        || ((Number) v).longValue() < min || ((Number) v).longValue() > Integer.MAX_VALUE) {
      throw new ConfigException(describe(name) + " must be an integer of at least " + min + ", not " + v);
    }
    return ((Number) v).intValue();
  }

  /** An integer with no default (a port to listen on, for example), or null when absent. */
  public Integer optionalInteger(String name, int min, String defaultDescription) {
    Object v = read(name, new Described(defaultDescription));
    if (v == null) {
      return null;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > Integer.MAX_VALUE) {
      throw new ConfigException(describe(name) + " must be an integer of at least " + min + ", not " + v);
    }
    return ((Number) v).intValue();
  }

  /** A string or a list of strings, as a list (empty when absent). */
  public List<String> strings(String name, String defaultDescription) {
    Object v = read(name, new Described(defaultDescription));
    List<String> out = new ArrayList<>();
    if (v instanceof String) {
      out.add((String) v);
    } else if (v instanceof JsonArray) {
      for (Object o : (JsonArray) v) {
        if (!(o instanceof String)) {
          throw new ConfigException(describe(name) + " must hold strings, not " + o);
        }
        out.add((String) o);
      }
    } else if (v != null) {
      throw new ConfigException(describe(name) + " must be a string or a list of strings");
    }
    return List.copyOf(out);
  }

  /** An object whose keys the user chooses (named scripts, for example); its keys are not checked. */
  public JsonObject map(String name) {
    Object v = read(name, new Described("{}"));
    if (v == null) {
      return new JsonObject();
    }
    if (!(v instanceof JsonObject)) {
      throw new ConfigException(describe(name) + " must be an object");
    }
    return (JsonObject) v;
  }

  /** Marks options that another reader interprets (their value is not looked at here). */
  public JsonObject passThrough(String name, Object def) {
    read(name, def instanceof String ? new Described((String) def) : def);
    Object v = json.getValue(name);
    return v instanceof JsonObject ? (JsonObject) v : null;
  }

  /** Refuses the first key, in this object or a section read from it, that no reader asked for. */
  public void rejectUnknown() {
    for (String key : json.fieldNames()) {
      if (!options.containsKey(key) && !sections.containsKey(key)) {
        throw new ConfigException("unknown option '" + pathOf(key) + "'" + suggestion(key));
      }
    }
    sections.values().forEach(ConfigSection::rejectUnknown);
  }

  /** Every option read so far, by full path, with its default: a value, {@link #NONE} or a {@link Described}. */
  public Map<String, Object> defaults() {
    Map<String, Object> all = new LinkedHashMap<>();
    options.forEach((name, def) -> all.put(pathOf(name), def));
    sections.values().forEach(s -> all.putAll(s.defaults()));
    return all;
  }

  /** The full path of an option of this section, e.g. {@code redis.commandTimeoutMs}. */
  public String pathOf(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** {@code config option 'redis.connections'}, for messages about a value. */
  public String describe(String name) {
    return "config option '" + pathOf(name) + "'";
  }

  private Object read(String name, Object def) {
    options.put(name, def == null ? NONE : def);
    return json.getValue(name);
  }

  private double toNumber(String name, Object v) {
    if (!(v instanceof Number)) {
      throw new ConfigException(describe(name) + " must be a number");
    }
    return ((Number) v).doubleValue();
  }

  /**
   * " (did you mean 'x'?)": the nearest known name ({@link Names#nearest}), else one that matches without
   * its unit suffix, has the same letters in another order ("prot"), or begins with what was written ("monitor").
   */
  private String suggestion(String wrong) {
    List<String> known = new ArrayList<>(options.keySet());
    known.addAll(sections.keySet());
    String near = Names.nearest(wrong, known);
    if (near == null) {
      Map<String, String> stems = new LinkedHashMap<>();
      known.forEach(k -> stems.putIfAbsent(UNIT.matcher(k).replaceFirst(""), k));
      String stem = Names.nearest(wrong, stems.keySet());
      near = stem != null ? stems.get(stem) : known.stream()
          .filter(k -> sameLetters(k, wrong) || (wrong.length() >= 4 && k.toLowerCase(java.util.Locale.ROOT).startsWith(wrong.toLowerCase(java.util.Locale.ROOT))))
          .findFirst().orElse(null);
    }
    return near == null ? "" : " (did you mean '" + pathOf(near) + "'?)";
  }

  private static boolean sameLetters(String a, String b) {
    char[] x = a.toLowerCase(java.util.Locale.ROOT).toCharArray();
    char[] y = b.toLowerCase(java.util.Locale.ROOT).toCharArray();
    java.util.Arrays.sort(x);
    java.util.Arrays.sort(y);
    return java.util.Arrays.equals(x, y);
  }
}
