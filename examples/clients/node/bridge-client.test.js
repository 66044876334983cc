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

  await t.test('hashes and lists', async () => {
    assert.strictEqual(await cache.call('hset', { key: k + 'user', field: 'name', value: box('Ada') }), 1);
    assert.strictEqual(await cache.call('hget', { key: k + 'user', field: 'name' }), 'Ada');
    assert.strictEqual(await cache.call('rpush', { key: k + 'jobs', values: [1, { id: 2 }] }), 2);
    assert.deepStrictEqual(await cache.call('lrange', { key: k + 'jobs', start: 0, stop: -1 }), [1, { id: 2 }]);
  });

  await t.test('lock cycle: acquire, held, release with the lease', async () => {
    const lease = await cache.call('acquireLock', { name: k + 'lock', options: { timeout: 5 } });
    assert.strictEqual(lease.name, k + 'lock');
    assert.strictEqual(typeof lease.fencingToken, 'number');
    assert.strictEqual(await cache.call('acquireLock', { name: k + 'lock', options: { blocking: false } }), null);
    assert.strictEqual(await cache.call('releaseLock', { lease }), null);
    await assert.rejects(cache.call('releaseLock', { lease }), (e) => e.code === 'LOCK_NOT_OWNED');
  });

  await t.test('pipeline', async () => {
    const slots = await cache.call('pipeline', { operations: [
      { action: 'set', args: { key: k + 'p', value: [1] } },
      { action: 'incr', args: { key: k + 'p', delta: 5 } },
      { action: 'get', args: { key: k + 'p' } },
      { action: 'get', args: {} },
    ] });
    assert.deepStrictEqual(slots.slice(0, 3), [{ ok: null }, { ok: 6 }, { ok: 6 }]);
    assert.strictEqual(slots[3].error.code, 'INVALID_ARGUMENT');
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

  await t.test('a value of 1 MiB travels both ways', async () => {
    const big = 'x'.repeat(1024 * 1024);
    assert.strictEqual(await cache.call('set', { key: k + 'big', value: box(big) }), null);
    assert.strictEqual((await cache.call('get', { key: k + 'big' })).length, big.length);
  });

  await t.test('a header the bridge cannot carry gets one coded reply', async () => {
    await cache.ready;
    const err = await new Promise((resolve) => {
      cache.eb.send(address, { key: k + 'h' }, { action: 'incr', 'x-trace': null }, (e) => resolve(e));
    });
    assert.strictEqual(err.failureCode, 400);
    assert.match(err.message, /^INVALID_ARGUMENT incr.*'x-trace'/);
    assert.strictEqual(await cache.call('get', { key: k + 'h' }), null, 'the refused incr did not run');
  });
});
