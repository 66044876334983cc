package io.cachex.service.dispatch;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;

/**
 * Decoding of large replies away from the event loop. Turning megabytes of (possibly compressed)
 * JSON into objects takes long enough to stall every other request of the service instance, and
 * takes many times the bytes in memory: replies whose values decode to more than
 * {@link #THRESHOLD_BYTES} are decoded on a worker thread, one at a time per service instance, the
 * others waiting their turn, so the memory they take at once stays bounded. Confined to the
 * instance's event loop.
 */
final class LargeDecodes {
  /** Replies decoding to more bytes than this leave the event loop. */
  static final long THRESHOLD_BYTES = 256 * 1024;

  private final Vertx vertx;
  private final ToLongFunction<io.vertx.core.buffer.Buffer> decodedSize;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private boolean running;

  LargeDecodes(Vertx vertx, ToLongFunction<io.vertx.core.buffer.Buffer> decodedSize) {
    this.vertx = vertx;
    this.decodedSize = decodedSize;
  }

  /** About how many bytes decoding these replies reads. */
  long cost(Iterable<? extends io.vertx.core.AsyncResult<io.vertx.redis.client.Response>> replies) {
    long total = 0;
    for (io.vertx.core.AsyncResult<io.vertx.redis.client.Response> r : replies) {
      if (r.succeeded()) {
        total += cost(r.result(), 0);
      }
    }
    return total;
  }

  private long cost(io.vertx.redis.client.Response r, int depth) {
    if (r == null || depth > 3) {
      return 0;
    }
    switch (r.type()) {
      case BULK:
        return decodedSize.applyAsLong(r.toBuffer());
      case MULTI:
      case PUSH:
        long sum = 0;
        for (io.vertx.redis.client.Response e : r) {
          sum += cost(e, depth + 1);
        }
        return sum;
      default:
        return 0;
    }
  }

  /** Runs {@code decode} on a worker thread when its turn comes; the result arrives on the event loop. */
  <T> Future<T> run(Callable<T> decode) {
    Promise<T> result = Promise.promise();
    waiting.add(() -> vertx.executeBlocking(decode, false).onComplete(ar -> {
      running = false;
      next();
      result.handle(ar);
    }));
    next();
    return result.future();
  }

  private void next() {
    if (!running && !waiting.isEmpty()) {
      running = true;
      waiting.poll().run();
    }
  }
}
