package io.cachex.server.admin;

import io.cachex.api.CachexService;
import io.cachex.api.LockLease;
import io.cachex.api.LockOptions;
import io.cachex.api.SemaphoreLease;
import io.cachex.api.SemaphoreOptions;
import io.cachex.api.SetOptions;
import io.cachex.server.monitoring.Monitoring;
import io.cachex.service.support.CachexFixture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin UI in a real browser: headless Chromium (Debian's chromium and chromium-driver) driven by Selenium,
 * against the service on a real Valkey/Redis. Skipped, saying why, when Chromium is not installed; .ci/run
 * installs it. With {@code -Dcachex.admin.screenshots=DIR} it saves screenshots of the main pages there
 * (docs/admin holds the ones the docs show).
 */
@ExtendWith(VertxExtension.class)
class AdminUiTest {
  static final String CHROMIUM = firstExisting("/usr/bin/chromium", "/usr/bin/chromium-browser");
  static final String CHROMEDRIVER = firstExisting("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
  static final Duration WAIT = Duration.ofSeconds(15);

  static CachexFixture fx;
  static CachexService cache;
  static String base;
  static WebDriver browser;
  static WebDriverWait wait;
  static final HttpClient http = HttpClient.newHttpClient();

  static String firstExisting(String... paths) {
    for (String p : paths) {
      if (new File(p).canExecute()) {
        return p;
      }
    }
    return null;
  }

  @BeforeAll
  static void start(Vertx vertx) throws IOException {
    Assumptions.assumeTrue(CHROMIUM != null && CHROMEDRIVER != null,
        "AdminUiTest skipped: Chromium is not installed (apt-get install chromium chromium-driver; .ci/run installs them)");
    fx = CachexFixture.deploy(vertx);
    cache = fx.cache;
    int port = freePort();
    JsonObject users = new JsonObject()
        .put("alice", new JsonObject().put("passwordHash", Passwords.hash("alice-pw".toCharArray(), 1000)).put("role", "readWrite"))
        .put("bob", new JsonObject().put("passwordHash", Passwords.hash("bob-pw".toCharArray(), 1000)).put("role", "readOnly"));
    fx.serviceVertx.deployVerticle(AdminVerticle.class, new DeploymentOptions().setConfig(new JsonObject().put("address", fx.address)
        .put("admin", new JsonObject().put("port", port).put("users", users)))).await();
    base = "http://127.0.0.1:" + port + "/";

    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, WAIT);
    // pages re-render after each action: an element found a moment ago may be replaced
    wait.ignoring(StaleElementReferenceException.class);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (fx != null) {
      fx.undeploy();
    }
  }

  @BeforeEach
  void loggedOut() {
    browser.get(base);
    browser.manage().deleteAllCookies();
    browser.navigate().refresh();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  // ---- helpers ----

  static void login(String user, String password) {
    browser.get(base);
    browser.manage().deleteAllCookies();
    browser.navigate().refresh();
    WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    form.findElement(By.id("login-user")).sendKeys(user);
    form.findElement(By.id("login-password")).sendKeys(password);
    form.findElement(By.id("login-submit")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), user));
  }

  /** Opens a page in a fresh document, so that nothing of the page before can be read while the new one renders. */
  static void open(String hash) {
    browser.get(base + hash);
    browser.navigate().refresh();
  }

  static WebElement visible(String id) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  static String text(String id) {
    return visible(id).getText();
  }

  static List<String> shownKeys() {
    return browser.findElements(By.cssSelector("#key-rows tr.key-row")).stream().map(r -> r.getAttribute("data-key")).toList();
  }

  /** Waits for the page status to change from "loading…" and returns it. */
  static String pageStatus() {
    wait.until(d -> {
      String s = d.findElement(By.id("page-status")).getText();
      return !s.isEmpty() && !s.startsWith("loading");
    });
    return text("page-status");
  }

  static void screenshot(String name) throws IOException {
    String dir = System.getProperty("cachex.admin.screenshots");
    if (dir != null) {
      Path target = Path.of(dir).resolve(name + ".png");
      Files.createDirectories(target.getParent());
      Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
  }

  /** A call to the admin API from inside the page (its session cookie), as the page's own script would make it. */
  static Map<?, ?> fetchFromPage(String action, JsonObject body) {
    Object reply = ((JavascriptExecutor) browser).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch('/api/call', {method: 'POST', credentials: 'same-origin', headers: {'Content-Type': 'application/json', 'X-Cachex-Admin': '1'},"
            + " body: JSON.stringify({action: arguments[0], body: JSON.parse(arguments[1])})})"
            + ".then(r => r.json().then(b => done({status: r.status, code: b.code || null, ok: b.ok})));",
        action, body.encode());
    return (Map<?, ?>) reply;
  }

  /** The status line of GET /api/session sent with this Host header (which java.net.http will not set). */
  static String rawStatusLine(int port, String host) throws IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET /api/session HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII)).readLine();
    }
  }

  static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  // ---- the tests ----

  @Test
  void authenticationIsRequired() throws Exception {
    visible("login-form");
    assertTrue(browser.findElement(By.id("nav")).getAttribute("hidden") != null, "no navigation before login");

    JsonObject get = new JsonObject().put("action", "get").put("body", new JsonObject().put("key", "x"));
    assertEquals(401, post("api/call", get.encode(), "X-Cachex-Admin", "1").statusCode());
    assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(base + "api/session")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    String wrong = Base64.getEncoder().encodeToString("alice:nope".getBytes());
    assertEquals(401, post("api/call", get.encode(), "X-Cachex-Admin", "1", "Authorization", "Basic " + wrong).statusCode());
    String right = Base64.getEncoder().encodeToString("alice:alice-pw".getBytes());
    HttpResponse<String> basic = post("api/call", get.encode(), "X-Cachex-Admin", "1", "Authorization", "Basic " + right);
    assertEquals(200, basic.statusCode());
    assertEquals(new JsonObject().put("ok", true).put("result", (Object) null), new JsonObject(basic.body()));
    // without the header a cross-site form could not set, a state-changing request is refused even with credentials
    assertEquals(403, post("api/call", get.encode(), "Authorization", "Basic " + right).statusCode());

    WebElement form = visible("login-form");
    form.findElement(By.id("login-user")).sendKeys("alice");
    form.findElement(By.id("login-password")).sendKeys("wrong");
    form.findElement(By.id("login-submit")).click();
    assertEquals("wrong user name or password", text("login-error"));
    assertFalse(browser.getPageSource().contains("alice-pw"));
  }

  @Test
  void browseWithPatternTypeFilterAndPaging() throws Exception {
    for (int i = 0; i < 230; i++) {
      cache.set("shop:user:" + i, new JsonObject().put("n", i), SetOptions.timeout(600)).await();
    }
    cache.hset("shop:cart:7", "sku-1", 2).await();
    cache.rpush("shop:queue", "job").await();
    login("alice", "alice-pw");
    open("#/keys?pattern=shop:user:*&count=100");
    pageStatus();
    Set<String> seen = new TreeSet<>(shownKeys());
    assertFalse(seen.isEmpty());
    screenshot("keys");
    WebElement firstRow = browser.findElement(By.cssSelector("#key-rows tr.key-row"));
    assertEquals("string", firstRow.findElement(By.className("key-type")).getText());
    assertTrue(firstRow.findElement(By.className("key-ttl")).getText().endsWith("min"), firstRow.getText());
    int pages = 1;
    while (browser.findElement(By.id("next-page")).isEnabled()) {
      browser.findElement(By.id("next-page")).click();
      pageStatus();
      seen.addAll(shownKeys());
      pages++;
    }
    Set<String> expected = IntStream.range(0, 230).mapToObj(i -> "shop:user:" + i).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, seen);
    assertTrue(pages >= 2, "pages: " + pages);
    assertTrue(pageStatus().contains("end of the keyspace"));
    browser.findElement(By.id("prev-page")).click();
    pageStatus();
    assertFalse(shownKeys().isEmpty());

    // the form: another pattern and a type filter
    WebElement pattern = visible("pattern");
    pattern.clear();
    pattern.sendKeys("shop:*");
    new Select(browser.findElement(By.id("type"))).selectByValue("hash");
    browser.findElement(By.id("search")).click();
    wait.until(d -> d.getCurrentUrl().contains("type=hash"));
    Set<String> hashes = new TreeSet<>();
    pageStatus();
    hashes.addAll(shownKeys());
    while (browser.findElement(By.id("next-page")).isEnabled()) {
      browser.findElement(By.id("next-page")).click();
      pageStatus();
      hashes.addAll(shownKeys());
    }
    assertEquals(Set.of("shop:cart:7"), hashes);
  }

  @Test
  void detailPagesForEveryType() throws Exception {
    cache.set("d:doc", new JsonObject().put("name", "Ada").put("langs", new JsonArray().add("en")), SetOptions.timeout(300)).await();
    cache.hset("d:hash", "color", "blue").await();
    cache.hset("d:hash", "size", 42).await();
    for (int i = 0; i < 60; i++) {
      cache.rpush("d:list", "item-" + i).await();
    }
    cache.sadd("d:set", "red").await();
    cache.sadd("d:set", "green").await();
    cache.zadd("d:zset", Map.of("gold", 3.0, "silver", 2.0, "bronze", 1.0)).await();
    fx.redis(Command.SET, fx.stored("d:raw", 1), new byte[] {(byte) 0xfe, 0x01, 'x'});
    login("bob", "bob-pw");

    open("#/key/d%3Adoc");
    assertEquals("string", text("detail-type"));
    assertEquals("d:doc", text("key-title"));
    assertTrue(text("detail-ttl").endsWith("min"));
    assertEquals(new JsonObject().put("name", "Ada").put("langs", new JsonArray().add("en")), new JsonObject(text("value")));
    screenshot("string");

    open("#/key/d%3Ahash");
    assertEquals("hash", text("detail-type"));
    wait.until(d -> d.findElements(By.cssSelector("#items tr.item")).size() == 2);
    String rows = text("items");
    assertTrue(rows.contains("color") && rows.contains("\"blue\"") && rows.contains("size") && rows.contains("42"), rows);

    open("#/key/d%3Alist");
    assertEquals("60", text("detail-size"));
    wait.until(d -> d.findElements(By.cssSelector("#items tr.item")).size() == 50);
    assertEquals("items 1–50 of 60", text("detail-page"));
    browser.findElement(By.id("detail-next")).click();
    wait.until(d -> d.findElements(By.cssSelector("#items tr.item")).size() == 10);
    assertTrue(text("items").contains("item-59"));
    assertFalse(browser.findElement(By.id("detail-next")).isEnabled());

    open("#/key/d%3Aset");
    wait.until(d -> d.findElements(By.cssSelector("#items tr.item")).size() == 2);
    assertTrue(text("items").contains("\"red\"") && text("items").contains("\"green\""));

    open("#/key/d%3Azset");
    wait.until(d -> d.findElements(By.cssSelector("#items tr.item")).size() == 3);
    List<String> zrows = browser.findElements(By.cssSelector("#items tr.item")).stream().map(WebElement::getText).toList();
    assertTrue(zrows.get(0).contains("bronze") && zrows.get(0).endsWith("1"), zrows.toString());
    assertTrue(zrows.get(2).contains("gold") && zrows.get(2).endsWith("3"), zrows.toString());

    // bytes no codec reads: a warning, never an error page
    open("#/key/d%3Araw");
    assertTrue(text("undecodable").contains("No codec of this service reads this value"));
    assertEquals("\\xfe\\x01x", text("preview"));
  }

  @Test
  void anEditIsACompareAndSetThatKeepsTheTtlAndShowsAConflict() throws Exception {
    cache.set("e:profile", new JsonObject().put("name", "Ada"), SetOptions.timeout(300)).await();
    login("alice", "alice-pw");
    open("#/key/e%3Aprofile");
    WebElement editor = visible("value-editor");
    editor.clear();
    editor.sendKeys("{\"name\": \"Ada Lovelace\"}");
    // meanwhile another client changes the key
    cache.set("e:profile", new JsonObject().put("name", "Grace"), SetOptions.timeout(300)).await();
    browser.findElement(By.id("save")).click();
    WebElement conflict = visible("conflict");
    assertTrue(conflict.getText().contains("the key changed since this page loaded"), conflict.getText());
    assertEquals(new JsonObject().put("name", "Grace"), new JsonObject(text("conflict-current")));
    assertEquals(new JsonObject().put("name", "Grace"), cache.get("e:profile").await(), "not overwritten");
    assertTrue(browser.findElement(By.id("value-editor")).getAttribute("value").contains("Ada Lovelace"), "the edit is kept");
    screenshot("conflict");

    browser.findElement(By.id("reload")).click();
    wait.until(d -> d.findElement(By.id("value")).getText().contains("Grace"));
    editor = visible("value-editor");
    editor.clear();
    editor.sendKeys("{\"name\": \"Grace Hopper\", \"born\": 1906}");
    browser.findElement(By.id("save")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Saved"));
    assertEquals(new JsonObject().put("name", "Grace Hopper").put("born", 1906), cache.get("e:profile").await());
    long ttl = cache.pttl("e:profile").await();
    assertTrue(ttl > 250_000 && ttl <= 300_000, "TTL kept: " + ttl);
    assertTrue(text("value").contains("Grace Hopper"));

    // TTL and persist, then delete
    WebElement seconds = visible("ttl-seconds");
    seconds.sendKeys("60");
    browser.findElement(By.id("set-ttl")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "TTL set"));
    long after = cache.pttl("e:profile").await();
    assertTrue(after > 50_000 && after <= 60_000, "TTL: " + after);
    wait.until(ExpectedConditions.elementToBeClickable(By.id("persist"))).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "no longer expires"));
    assertEquals(null, cache.pttl("e:profile").await());
    assertEquals("no expiry", text("detail-ttl"));

    browser.findElement(By.id("delete")).click();
    visible("delete-confirm").click();
    wait.until(d -> d.getCurrentUrl().endsWith("#/keys"));
    assertEquals(null, cache.get("e:profile").await());
  }

  @Test
  void aHashEditIsACompareAndSetToo() throws Exception {
    cache.hset("c:cart", "sku-1", 1).await();
    cache.expire("c:cart", 300.0).await();
    login("alice", "alice-pw");
    open("#/key/c%3Acart");
    visible("edit-collection").click();
    WebElement editor = visible("value-editor");
    assertEquals(new JsonObject().put("sku-1", 1), new JsonObject(editor.getAttribute("value")));
    editor.clear();
    editor.sendKeys("{\"sku-1\": 3, \"sku-9\": {\"gift\": true}}");
    cache.hset("c:cart", "sku-2", 5).await(); // another client adds a line meanwhile
    browser.findElement(By.id("save")).click();
    assertTrue(visible("conflict").getText().contains("the key changed since this page loaded"));
    assertTrue(text("conflict-current").contains("sku-2"));
    assertEquals(new JsonObject().put("sku-1", 1).put("sku-2", 5), cache.hgetall("c:cart").await(), "not overwritten");
    screenshot("hash-conflict");

    browser.findElement(By.id("reload")).click();
    visible("edit-collection").click();
    editor = visible("value-editor");
    assertTrue(editor.getAttribute("value").contains("sku-2"));
    editor.clear();
    editor.sendKeys("{\"sku-2\": 6}");
    browser.findElement(By.id("save")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Saved"));
    assertEquals(new JsonObject().put("sku-2", 6), cache.hgetall("c:cart").await());
    long ttl = cache.pttl("c:cart").await();
    assertTrue(ttl > 250_000 && ttl <= 300_000, "TTL kept: " + ttl);
    wait.until(d -> d.findElements(By.cssSelector("#items tr.item")).size() == 1);
  }

  @Test
  void addAKeyAndClearBehindAConfirmation() throws Exception {
    login("alice", "alice-pw");
    open("#/new");
    visible("new-key").sendKeys("n:fresh");
    WebElement value = visible("new-value");
    value.clear();
    value.sendKeys("[1, 2, 3]");
    visible("new-ttl").sendKeys("120");
    browser.findElement(By.id("create")).click();
    wait.until(d -> d.getCurrentUrl().contains("#/key/n%3Afresh"));
    assertEquals(new JsonArray().add(1).add(2).add(3), cache.get("n:fresh").await());
    long ttl = cache.pttl("n:fresh").await();
    assertTrue(ttl > 100_000 && ttl <= 120_000, "TTL: " + ttl);

    // a collection, created only if absent, with its TTL
    open("#/new");
    visible("new-key").sendKeys("n:set");
    new Select(browser.findElement(By.id("new-type"))).selectByValue("set");
    WebElement members = visible("new-value");
    members.clear();
    members.sendKeys("[\"red\", \"green\"]");
    visible("new-ttl").sendKeys("90");
    browser.findElement(By.id("create")).click();
    wait.until(d -> d.getCurrentUrl().contains("#/key/n%3Aset"));
    assertEquals(Set.of("red", "green"), new java.util.HashSet<>(cache.smembers("n:set").await().getList()));
    long setTtl = cache.pttl("n:set").await();
    assertTrue(setTtl > 70_000 && setTtl <= 90_000, "TTL: " + setTtl);
    open("#/new");
    visible("new-key").sendKeys("n:set");
    new Select(browser.findElement(By.id("new-type"))).selectByValue("list");
    browser.findElement(By.id("create")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "exists already"));
    assertEquals("set", cache.type("n:set").await());

    // clear needs the typed confirmation; the API refuses it without one
    assertEquals("INVALID_ARGUMENT", fetchFromPage("clear", new JsonObject()).get("code"));
    assertEquals(new JsonArray().add(1).add(2).add(3), cache.get("n:fresh").await());
    open("#/server");
    visible("info-server");
    screenshot("server");
    visible("clear").click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Type \"clear\""));
    visible("clear-confirm-text").sendKeys("clear");
    browser.findElement(By.id("clear")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Cleared"));
    assertEquals(null, cache.get("n:fresh").await());
  }

  @Test
  void theReadOnlyRoleCannotWrite() throws Exception {
    cache.set("ro:k", "original", SetOptions.timeout(300)).await();
    login("bob", "bob-pw");
    assertTrue(text("who").contains("read-only"));
    open("#/key/ro%3Ak");
    assertEquals("\"original\"", text("value"));
    assertFalse(browser.findElement(By.id("edit")).isDisplayed(), "no editor for a read-only user");
    assertFalse(browser.findElement(By.id("delete")).isDisplayed(), "no delete button");
    assertFalse(browser.findElement(By.id("nav-new")).isDisplayed());
    screenshot("read-only");

    // the server refuses what the page does not offer
    String fingerprint = cache.inspectKey("ro:k").await().getString("fingerprint");
    for (Map.Entry<String, JsonObject> write : Map.of(
        "set", new JsonObject().put("key", "ro:k").put("value", new JsonArray().add("hacked")),
        "replaceIfUnchanged", new JsonObject().put("key", "ro:k").put("fingerprint", fingerprint).put("value", new JsonArray().add("hacked")),
        "delete", new JsonObject().put("key", "ro:k"),
        "persist", new JsonObject().put("key", "ro:k")).entrySet()) {
      Map<?, ?> reply = fetchFromPage(write.getKey(), write.getValue());
      assertEquals(403L, ((Number) reply.get("status")).longValue(), write.getKey());
      assertEquals("FORBIDDEN", reply.get("code"), write.getKey());
    }
    assertEquals("original", cache.get("ro:k").await());
    assertTrue(cache.pttl("ro:k").await() > 0);
    // reads are fine
    assertEquals(Boolean.TRUE, fetchFromPage("get", new JsonObject().put("key", "ro:k")).get("ok"));
  }

  @Test
  void keysOfAnotherVersionAreBrowsedAndEditedAtTheirVersion() throws Exception {
    cache.set("v:item", SetOptions.timeout(300), 2, new JsonArray().add("second")).await();
    cache.set("v:item", "first", SetOptions.timeout(300)).await();
    login("alice", "alice-pw");
    open("#/keys?pattern=v:*&version=2");
    pageStatus();
    assertEquals(List.of("v:item"), shownKeys());
    assertEquals("2", visible("version").getAttribute("value"));
    browser.findElement(By.cssSelector("#key-rows a.key-link")).click();
    wait.until(d -> d.getCurrentUrl().endsWith("#/key/v%3Aitem?version=2"));
    assertEquals("\"second\"", text("value"));
    WebElement editor = visible("value-editor");
    editor.clear();
    editor.sendKeys("\"second, edited\"");
    browser.findElement(By.id("save")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Saved"));
    assertEquals("second, edited", cache.get("v:item", 2, null, null).await());
    assertEquals("first", cache.get("v:item").await(), "the default version is untouched");
  }

  @Test
  void locksAndSemaphoresHeldWithTheirFencingTokens() throws Exception {
    LockLease lock = cache.acquireLock("jobs:nightly", new LockOptions().setTimeout(600)).await();
    SemaphoreLease permit = cache.acquireSemaphore("pdf-workers", 4, SemaphoreOptions.withLease(60).setWeight(2)).await();
    try {
      login("bob", "bob-pw");
      open("#/leases");
      wait.until(d -> d.findElements(By.cssSelector("#lock-rows tr.lock-row")).size() >= 1);
      String locks = text("lock-rows");
      assertTrue(locks.contains("jobs:nightly") && locks.contains(String.valueOf(lock.getFencingToken())), locks);
      assertTrue(locks.contains("min"), locks);
      wait.until(d -> d.findElements(By.cssSelector("#semaphore-rows tr.semaphore-row")).size() >= 1);
      String semaphores = text("semaphore-rows");
      assertTrue(semaphores.contains("pdf-workers") && semaphores.contains("2 for"), semaphores);
      assertFalse(browser.getPageSource().contains(lock.getToken()) || browser.getPageSource().contains(permit.getToken()),
          "the owners' tokens never reach the page");
      screenshot("locks");
    } finally {
      cache.releaseLock(lock).await();
      cache.releaseSemaphore(permit).await();
    }
    browser.findElement(By.id("leases-refresh")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("lock-rows"), "no lock is held"));
  }

  @Test
  void theServerPageHidesTheDangerZoneFromReaders() throws Exception {
    login("bob", "bob-pw");
    open("#/server");
    assertTrue(text("info-server").contains("version"));
    assertFalse(browser.findElement(By.id("danger-zone")).isDisplayed(), "no danger zone for a read-only user");
  }

  @Test
  void metricsAreChartedLiveOnANodeWithoutUsers() throws Exception {
    // a node built as the launcher builds it with an admin section: with its meter registry
    Vertx metered = Vertx.builder().with(new VertxOptions().setMetricsOptions(Monitoring.metricsOptions()))
        .withMetrics(Monitoring.factory(true)).build();
    try {
      CachexFixture node = CachexFixture.deploy(metered);
      int port = freePort();
      metered.deployVerticle(AdminVerticle.class, new DeploymentOptions().setConfig(new JsonObject().put("address", node.address)
          .put("admin", new JsonObject().put("port", port)))).await();
      long load = metered.setPeriodic(20, id -> {
        node.cache.get("m:" + (id % 2)).onComplete(ar -> { });
        node.cache.set("m:1", "v").onComplete(ar -> { });
      });
      browser.get("http://127.0.0.1:" + port + "/#/metrics");
      // loopback without users: no login, read-only by default
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "local (read-only)"));
      wait.until(d -> {
        String now = d.findElement(By.cssSelector("#chart-ops .now")).getText();
        return now.matches("[0-9.]+") && Double.parseDouble(now) > 0;
      });
      wait.until(d -> d.findElement(By.cssSelector("#chart-hit .now")).getText().matches("[0-9.]+"));
      wait.until(d -> d.findElement(By.cssSelector("#chart-ops polyline")).getAttribute("points").split(" ").length >= 4);
      assertTrue(text("metrics-note").startsWith("Sampled every 2 s"));
      screenshot("metrics");
      // without users, only requests addressed to a loopback host are answered (no DNS rebinding)
      assertTrue(rawStatusLine(port, "127.0.0.1:" + port).contains(" 200 "));
      assertTrue(rawStatusLine(port, "localhost:" + port).contains(" 200 "));
      assertTrue(rawStatusLine(port, "rebound.example:" + port).contains(" 403 "));
      metered.cancelTimer(load);
      node.undeploy();
    } finally {
      metered.close().await();
    }
  }
}
