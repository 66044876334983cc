'use strict';
// Exercises vertx-cachex over the SockJS bridge as a Node program would.
// Run: CACHEX_SOCKJS_URL=http://127.0.0.1:8080/eventbus node --test bridge-client.test.js
const test = require('node:test');
const assert = require('node:assert');
const { randomUUID } = require('node:crypto');
const { CachexClient, box } = require('./cachex-client');

const url = process.env.CACHEX_SOCKJS_URL || 'http://127.0.0.1:8080/eventbus';
const address = process.env.CACHEX_ADDRESS || 'cachex';
const k = 'js-' + randomUUID().slice(0, 8) + ':';

test('vertx-cachex over SockJS', async (t) => {
  const cache = new CachexClient(url, { address });
  t.after(() => cache.close());

  await t.test('core values keep their JSON types', async () => {
    for (const [name, value] of [['int', 42], ['str', '42'], ['bool', false], ['obj', { a: [1, 'two', null] }]]) {
      assert.strictEqual(await cache.call('set', { key: k + name, value: box(value) }), null);
      assert.deepStrictEqual(await cache.call('get', { key: k + name }), value);
    }
    assert.strictEqual(await cache.call('get', { key: k + 'missing' }), null);
    assert.deepStrictEqual(await cache.call('getMany', { keys: [k + 'int', k + 'missing'] }), { [k + 'int']: 42 });
  });

  await t.test('counters', async () => {
    assert.strictEqual(await cache.call('incr', { key: k + 'n', delta: 3 }), 3);
    assert.strictEqual(await cache.call('incr', { key: k + 'n' }), 4);
  });

  await t.test('errors carry a stable code naming the field', async () => {
    await assert.rejects(cache.call('set', { key: k + 'bad', value: 'not boxed' }), (e) => {
      assert.strictEqual(e.code, 'INVALID_ARGUMENT');
      assert.strictEqual(e.failureCode, 400);
      assert.match(e.message, /'value'/);
      return true;
    });
    await assert.rejects(cache.call('clear', {}), (e) => e.code === 'FORBIDDEN');
  });
});
