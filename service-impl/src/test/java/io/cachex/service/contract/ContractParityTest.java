package io.cachex.service.contract;

import io.cachex.api.Action;
import io.cachex.api.contract.ActionSpec;
import io.cachex.api.contract.Actions;
import io.cachex.api.contract.Param;
import io.cachex.api.contract.WireType;
import io.vertx.codegen.annotations.GenIgnore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parity by test, not by discipline: every action of the contract (the one catalog, read from
 * CachexService itself) is classified by its {@link Action} traits, has a planner in service-impl
 * (checked when the catalog binds at start), an entry in docs/PROTOCOL.md, and a test that calls
 * it. Adding an operation without the others fails the build; docs/PROTOCOL.md "Adding an action"
 * says what to touch.
 */
class ContractParityTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyProxiedMethodIsAClassifiedAction() {
    List<String> unclassified = new ArrayList<>();
    for (Method m : io.cachex.api.CachexService.class.getMethods()) {
      if (!Modifier.isStatic(m.getModifiers()) && !m.isDefault() && !m.isAnnotationPresent(GenIgnore.class)
          && !m.isAnnotationPresent(Action.class)) {
        unclassified.add(m.getName());
      }
    }
    assertEquals(List.of(), unclassified, "proxied methods without @Action traits");
    assertTrue(Actions.cachex().all().size() >= 90, "catalog: " + Actions.cachex().all().keySet());
  }

  @Test
  void everyActionHasAPlanner() throws Exception {
    // the binding checks every action when it is first used, and fails naming the ones without a planner
    Class<?> binding = Class.forName("io.cachex.service.actions.PlannerBinding");
    Method get = binding.getDeclaredMethod("get");
    get.setAccessible(true);
    assertTrue(get.invoke(null) != null);
  }

  @Test
  void traitsAreConsistent() {
    List<String> wrong = new ArrayList<>();
    for (ActionSpec spec : Actions.cachex().all().values()) {
      Action t = spec.traits();
      if (t.waits() && t.batch() == Action.Batch.NONE && spec.reads()) {
        wrong.add(spec.name() + ": a waiting read");
      }
      if (t.lookup() != Action.Lookup.NONE && !spec.reads()) {
        wrong.add(spec.name() + ": a lookup that writes");
      }
      boolean nests = spec.params().stream().map(Param::type).anyMatch(WireType.OPERATIONS::equals);
      if (nests && t.batch() != Action.Batch.NONE) {
        wrong.add(spec.name() + ": carries operations but may run inside a batch");
      }
      // one place for the version: every action that names a key takes 'version' as a field of its own
      boolean keyed = spec.params().stream().anyMatch(p -> p.key() && !"name".equals(p.name())) || spec.param("keys") != null;
      if (keyed && spec.param("version") == null) {
        wrong.add(spec.name() + ": names keys but has no 'version' field");
      }
    }
    assertEquals(List.of(), wrong);
  }

  /** The lists in PROTOCOL.md "Where actions may run" are the traits, exactly. */
  @Test
  void theTraitListsInProtocolMatchTheContract() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("docs/PROTOCOL.md"));
    java.util.Map<String, java.util.function.Predicate<Action>> lists = new java.util.LinkedHashMap<>();
    lists.put("**Not in a transaction**", t -> t.batch() == Action.Batch.PIPELINE);
    lists.put("**Alone only:**", t -> t.batch() == Action.Batch.NONE);
    lists.put("**May wait for other clients**", Action::waits);
    lists.put("**Restricted for bridge clients**", Action::restricted);
    lists.forEach((title, trait) -> {
      int start = -1;
      for (int i = 0; i < lines.size() && start < 0; i++) {
        if (lines.get(i).startsWith("- " + title)) {
          start = i;
        }
      }
      assertTrue(start >= 0, "PROTOCOL.md lists " + title);
      StringBuilder item = new StringBuilder(lines.get(start));
      for (int i = start + 1; i < lines.size() && lines.get(i).startsWith("  "); i++) {
        item.append(' ').append(lines.get(i).trim());
      }
      java.util.Set<String> documented = new java.util.TreeSet<>();
      java.util.regex.Matcher m = Pattern.compile("`([a-zA-Z]+)`").matcher(item.toString().replaceAll("\\(.*?\\)", ""));
      while (m.find()) {
        if (Actions.cachex().find(m.group(1)) != null) {
          documented.add(m.group(1));
        }
      }
      java.util.Set<String> declared = new java.util.TreeSet<>();
      Actions.cachex().all().values().stream().filter(s -> trait.test(s.traits())).forEach(s -> declared.add(s.name()));
      assertEquals(declared, documented, title);
    });
  }

  @Test
  void everyActionIsDocumentedInProtocol() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("docs/PROTOCOL.md"));
    List<String> headings = lines.stream().filter(l -> l.startsWith("### ")).map(l -> l.substring(4)).collect(Collectors.toList());
    // first cells of table rows, e.g. "`sdiff` / `sinter` / `sunion`": actions documented together
    List<String> rows = lines.stream().filter(l -> l.startsWith("| `")).map(l -> l.substring(1, l.indexOf('|', 1)))
        .collect(Collectors.toList());
    List<String> missing = new ArrayList<>();
    for (String action : Actions.cachex().all().keySet()) {
      Pattern word = Pattern.compile("(^|[^A-Za-z0-9])" + action + "([^A-Za-z0-9]|$)");
      boolean heading = headings.stream().anyMatch(h -> word.matcher(h).find());
      List<String> group = rows.stream().filter(r -> r.contains("`" + action + "`")).collect(Collectors.toList());
      // an example: JSON under the action's heading, or a line "action {...} → ..." for it or its row-mates
      // (or a JSON envelope naming the action: {"action":"evalScript","body":{...}}, header `action: pipeline`)
      boolean example = heading || lines.stream().anyMatch(l -> group.stream().anyMatch(r -> {
        int sp = l.indexOf(' ');
        return sp > 0 && l.substring(sp).trim().startsWith("{") && r.contains("`" + l.substring(0, sp) + "`");
      })) || lines.stream().anyMatch(l -> l.replace(" ", "").contains("\"action\":\"" + action + "\"")
          || l.contains("action: " + action + "`"));
      if (!(heading || !group.isEmpty()) || !example) {
        missing.add(action);
      }
    }
    assertEquals(List.of(), missing, "actions without an entry ('### action' or a '| `action` |' row) and an example in docs/PROTOCOL.md");
  }

  @Test
  void everyActionIsCalledByATest() throws IOException {
    String tests;
    try (Stream<Path> files = Files.walk(ROOT)) {
      tests = files.filter(p -> p.toString().contains("/src/test/") && !p.toString().contains("/target/"))
          .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".py") || p.toString().endsWith(".js"))
          .filter(p -> !p.getFileName().toString().equals("ContractParityTest.java"))
          .map(ContractParityTest::read)
          .collect(Collectors.joining("\n"));
    }
    List<String> missing = new ArrayList<>();
    for (String action : Actions.cachex().all().keySet()) {
      if (!tests.contains("." + action + "(") && !tests.contains("\"" + action + "\"") && !tests.contains("'" + action + "'")) {
        missing.add(action);
      }
    }
    assertEquals(List.of(), missing, "actions no test calls");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
