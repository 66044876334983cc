package io.cachex.service.actions;

import io.cachex.api.CachexError;
import io.cachex.api.contract.ActionHeader;
import io.cachex.api.contract.ActionSpec;
import io.cachex.api.contract.OperationException;
import io.cachex.service.bridge.BridgePolicy;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.HelperUtils;

/**
 * The service on the event bus: every message to the service address is one action, named by its
 * {@code action} header ({@link ActionHeader}) with its fields in a JSON object body, as the
 * generated proxy and the bridges send it. Each message gets exactly one reply: the result, or a
 * {@link io.vertx.serviceproxy.ServiceException} with a stable code (the generated proxy's own
 * failure format, so proxies and bridge clients read it as before).
 */
public final class ActionHandler implements Handler<Message<Object>> {
  private final ActionRunner runner;
  /** Requests received and not answered yet; a stopping service lets them finish. */
  private int inFlight;
  private io.vertx.core.Promise<Void> drained;

  public ActionHandler(ActionRunner runner) {
    this.runner = runner;
  }

  /**
   * Completes once every request received so far has been answered (call after the consumer is
   * unregistered, so no new one arrives): a service that stops gracefully answers what it accepted.
   */
  public io.vertx.core.Future<Void> drained() {
    if (inFlight == 0) {
      return io.vertx.core.Future.succeededFuture();
    }
    if (drained == null) {
      drained = io.vertx.core.Promise.promise();
    }
    return drained.future();
  }

  @Override
  public void handle(Message<Object> msg) {
    String action = null;
    try {
      String invalid = msg.headers().get(BridgePolicy.INVALID_HEADER);
      if (invalid != null) {
        action = msg.headers().get(ActionHeader.NAME);
        throw OperationException.invalid(invalid);
      }
      action = ActionHeader.of(msg.headers());
      String refused = msg.headers().get(BridgePolicy.REFUSED_HEADER);
      if (refused != null) {
        throw new OperationException(CachexError.FORBIDDEN, refused);
      }
      ActionSpec spec = runner.actions().require(action);
      if (!(msg.body() instanceof JsonObject)) {
        throw OperationException.invalid("the message body must be a JSON object of fields");
      }
      inFlight++;
      runner.run(spec, (JsonObject) msg.body()).onComplete(ar -> {
        if (--inFlight == 0 && drained != null) {
          drained.tryComplete();
        }
        if (ar.succeeded()) {
          msg.reply(ar.result());
        } else {
          HelperUtils.manageFailure(msg, ar.cause(), true);
        }
      });
    } catch (RuntimeException | StackOverflowError e) {
      HelperUtils.manageFailure(msg, runner.refused(action, e), true);
    }
  }
}
