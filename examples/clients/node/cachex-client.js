'use strict';
// A small promise-based vertx-cachex client over the SockJS event-bus bridge (see docs/PROTOCOL.md).
const EventBus = require('@vertx/eventbus-bridge-client.js');

class CachexError extends Error {
  constructor(failure) {
    super(failure.message);
    this.failureCode = failure.failureCode;
    // the stable code is the first word of the message, e.g. "WRONG_TYPE incr(k): ..."
    this.code = /^[A-Z_]+ /.test(failure.message || '') ? failure.message.split(' ')[0] : failure.failureType;
  }
}

class CachexClient {
  constructor(url, { address = 'cachex', token } = {}) {
    this.address = address;
    this.token = token;
    this.eb = new EventBus(url);
    this.eb.enableReconnect(false);
    this.ready = new Promise((resolve, reject) => {
      this.eb.onopen = resolve;
      this.eb.onerror = reject;
    });
  }

  /** Runs one action; resolves with its result (null for an empty reply), rejects with CachexError. */
  async call(action, body = {}) {
    await this.ready;
    const headers = { action };
    if (this.token) headers.token = this.token;
    return new Promise((resolve, reject) => {
      this.eb.send(this.address, body, headers, (err, msg) => {
        if (err) reject(new CachexError(err));
        else resolve(msg.body === undefined ? null : msg.body);
      });
    });
  }

  close() {
    this.eb.close();
  }
}

/** The wire form of a single value: a one-element array. */
const box = (value) => [value];

module.exports = { CachexClient, CachexError, box };
