package io.cachex.service.contract;

import io.cachex.service.ops.CachexServiceImpl;
import io.cachex.service.validation.OperationCatalog;
import io.cachex.service.validation.OperationCatalog.Operation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
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
 * CachexService itself) has an implementation in service-impl, an entry in docs/PROTOCOL.md and a
 * test that calls it. Adding an operation without the other three fails the build.
 */
class ContractParityTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void catalogCoversTheContract() {
    assertTrue(OperationCatalog.get().all().size() >= 16, "catalog: " + OperationCatalog.get().all().keySet());
  }

  @Test
  void everyActionIsImplementedByAFacetMixin() throws Exception {
    List<String> missing = new ArrayList<>();
    for (Operation op : OperationCatalog.get().all().values()) {
      Method impl = CachexServiceImpl.class.getMethod(op.action(), op.method().getParameterTypes());
      if (!impl.getDeclaringClass().getPackageName().startsWith("io.cachex.service")) {
        missing.add(op.action() + " (implemented by " + impl.getDeclaringClass().getName() + ")");
      }
    }
    assertEquals(List.of(), missing, "actions without an implementation in service-impl");
  }

  @Test
  void everyActionIsDocumentedInProtocol() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("docs/PROTOCOL.md"));
    List<String> headings = lines.stream().filter(l -> l.startsWith("### ")).map(l -> l.substring(4)).collect(Collectors.toList());
    // first cells of table rows, e.g. "`sdiff` / `sinter` / `sunion`": actions documented together
    List<String> rows = lines.stream().filter(l -> l.startsWith("| `")).map(l -> l.substring(1, l.indexOf('|', 1)))
        .collect(Collectors.toList());
    List<String> missing = new ArrayList<>();
    for (String action : OperationCatalog.get().all().keySet()) {
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
    for (String action : OperationCatalog.get().all().keySet()) {
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
