package io.cachex.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Function;

/**
 * The caller's keys matching a pattern as a {@link ReadStream}, read page by page through
 * {@link KeyCommands#scan}. A page is asked for only when there is demand and the previous page has
 * been handed out, so a paused stream holds at most one page and sends nothing to the service.
 * The stream starts when a handler is set; the end handler runs after the last key; a failed page
 * ends the stream with the exception handler.
 * <p>
 * SCAN's guarantees hold: a key present for the whole walk is delivered, a key may be delivered more
 * than once (the server rehashing during the walk), and keys added or removed meanwhile may or may
 * not appear. Like other Vert.x streams it is not thread-safe: create and use it on one Vert.x
 * context, where the proxy's replies (and so its handlers) run.
 */
public final class KeyStream implements ReadStream<String> {
  /** The COUNT hint per page unless given. */
  public static final int DEFAULT_PAGE = 100;

  private final Function<String, Future<JsonObject>> pages;
  private final ArrayDeque<String> buffer = new ArrayDeque<>();
  private String cursor = "0";
  private boolean lastPage;
  private boolean fetching;
  private boolean ended;
  private long demand = Long.MAX_VALUE;
  private boolean emitting;
  private Handler<String> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  private KeyStream(Function<String, Future<JsonObject>> pages) {
    this.pages = pages;
  }

  /** The keys matching {@code pattern} (a glob over the caller's keys) at {@code version} (null: default). */
  public static KeyStream scan(CachexService service, String pattern, Integer version) {
    return scan(service, pattern, DEFAULT_PAGE, version);
  }

  /** As {@link #scan(CachexService, String, Integer)} with SCAN's COUNT hint per page. */
  public static KeyStream scan(CachexService service, String pattern, int pageSize, Integer version) {
    Objects.requireNonNull(service, "service");
    if (pageSize <= 0) {
      throw new IllegalArgumentException("pageSize must be positive");
    }
    return new KeyStream(cursor -> service.scan(cursor, pattern, pageSize, version));
  }

  @Override
  public KeyStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public KeyStream handler(Handler<String> handler) {
    this.handler = handler;
    if (handler != null) {
      drain();
    }
    return this;
  }

  @Override
  public KeyStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public KeyStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public KeyStream fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("amount must be >= 0");
    }
    demand = Long.MAX_VALUE - demand <= amount ? Long.MAX_VALUE : demand + amount;
    drain();
    return this;
  }

  @Override
  public KeyStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  /**
   * Hands out buffered keys while there is demand and asks for the next page when the buffer is
   * empty. Re-entrant calls (a handler calling fetch or resume, a page completing at once) only
   * leave the work to the loop already running.
   */
  private void drain() {
    if (emitting) {
      return;
    }
    emitting = true;
    try {
      while (!ended && handler != null) {
        if (!buffer.isEmpty()) {
          if (demand == 0) {
            return;
          }
          if (demand != Long.MAX_VALUE) {
            demand--;
          }
          handler.handle(buffer.poll());
        } else if (lastPage) {
          ended = true;
          if (endHandler != null) {
            endHandler.handle(null);
          }
        } else if (demand == 0 || fetching) {
          return;
        } else {
          nextPage();
        }
      }
    } finally {
      emitting = false;
    }
  }

  private void nextPage() {
    fetching = true;
    Future<JsonObject> page;
    try {
      page = pages.apply(cursor);
    } catch (RuntimeException e) {
      page = Future.failedFuture(e);
    }
    page.onComplete(ar -> {
      fetching = false;
      if (ar.failed()) {
        ended = true;
        if (exceptionHandler != null) {
          exceptionHandler.handle(ar.cause());
        }
        return;
      }
      JsonObject reply = ar.result();
      cursor = reply.getString("cursor", "0");
      lastPage = "0".equals(cursor);
      JsonArray keys = reply.getJsonArray("keys", new JsonArray());
      for (int i = 0; i < keys.size(); i++) {
        buffer.add(keys.getString(i));
      }
      drain();
    });
  }
}
