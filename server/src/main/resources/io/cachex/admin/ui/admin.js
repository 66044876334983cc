// cachex admin: a single page over the service's own actions (POST /api/call), no build step, no library.
// Everything shown is built with DOM nodes (textContent), never HTML strings: keys and values are data.
'use strict';

const PAGE = 50;
let session = null;
/** The key version the pages work at (the URL's ?version=); null: the service's configured one. */
let version = null;

/** A body naming a key, at the page's version. */
function kv(body) {
  return version === null ? body : Object.assign({}, body, { version });
}

// ---- the one path to the service ----

async function request(path, payload) {
  const res = await fetch(path, {
    method: payload === undefined ? 'GET' : 'POST',
    credentials: 'same-origin',
    headers: payload === undefined ? {} : { 'Content-Type': 'application/json', 'X-Cachex-Admin': '1' },
    body: payload === undefined ? undefined : JSON.stringify(payload),
  });
  const body = await res.json().catch(() => ({ ok: false, code: 'HTTP_' + res.status, message: res.statusText }));
  if (res.status === 401 && path !== '/api/login') {
    showLogin();
  }
  return body;
}

/** Runs an action; resolves with its result, rejects with {code, message}. */
async function call(action, body, confirm) {
  const reply = await request('/api/call', confirm ? { action, body, confirm } : { action, body });
  if (!reply.ok) {
    throw reply;
  }
  return reply.result;
}

// ---- DOM helpers ----

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function app(...children) {
  const root = document.getElementById('app');
  root.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
  return root;
}

function flash(text, isError) {
  const f = document.getElementById('flash');
  f.textContent = text;
  f.className = isError ? 'flash error' : 'flash';
  f.hidden = !text;
}

function failure(err) {
  flash((err && err.message) || String(err), true);
}

function ttlText(ms) {
  if (ms === null || ms === undefined) return 'no expiry';
  const s = Math.round(ms / 1000);
  if (s < 120) return s + ' s';
  if (s < 7200) return Math.round(s / 60) + ' min';
  if (s < 172800) return Math.round(s / 3600) + ' h';
  return Math.round(s / 86400) + ' d';
}

function pretty(value) {
  return JSON.stringify(value, null, 2);
}

function keyLink(key) {
  return '#/key/' + encodeURIComponent(key) + (version === null ? '' : '?version=' + version);
}

// ---- session ----

function showLogin() {
  session = null;
  document.getElementById('login').hidden = false;
  document.getElementById('nav').hidden = true;
  document.getElementById('logout').hidden = true;
  document.getElementById('who').textContent = '';
  app();
}

function startSession(s) {
  session = s;
  document.getElementById('login').hidden = true;
  document.getElementById('nav').hidden = false;
  document.getElementById('logout').hidden = !s.authRequired;
  document.getElementById('who').textContent = s.user + ' (' + (s.role === 'readWrite' ? 'read-write' : 'read-only') + ')';
  document.body.classList.toggle('read-only', s.role !== 'readWrite');
  route();
}

document.getElementById('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const error = document.getElementById('login-error');
  const reply = await request('/api/login', {
    user: document.getElementById('login-user').value,
    password: document.getElementById('login-password').value,
  });
  document.getElementById('login-password').value = '';
  if (reply.user) {
    error.hidden = true;
    startSession(reply);
  } else {
    error.textContent = reply.message || 'log in failed';
    error.hidden = false;
  }
});

document.getElementById('logout').addEventListener('click', async () => {
  await request('/api/logout', {});
  showLogin();
});

// ---- routing ----

let stopPage = () => {};

function route() {
  if (!session) return;
  stopPage();
  stopPage = () => {};
  flash('');
  const hash = location.hash || '#/keys';
  const [path, query] = hash.slice(1).split('?');
  const params = new URLSearchParams(query || '');
  version = /^[0-9]+$/.test(params.get('version') || '') ? Number(params.get('version')) : null;
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', path.startsWith(a.getAttribute('href').slice(1)));
  }
  if (path.startsWith('/key/')) keyPage(decodeURIComponent(path.slice(5)));
  else if (path === '/new') newKeyPage();
  else if (path === '/server') serverPage();
  else if (path === '/leases') leasesPage();
  else if (path === '/metrics') metricsPage();
  else keysPage(params);
}

window.addEventListener('hashchange', route);

// ---- key browser ----

function keysPage(params) {
  const pattern = h('input', { id: 'pattern', value: params.get('pattern') || '*', size: 30 });
  const type = h('select', { id: 'type' },
    ['', 'string', 'hash', 'list', 'set', 'zset', 'stream'].map(t => h('option', { value: t, selected: t === (params.get('type') || '') }, t || 'any type')));
  const versionInput = h('input', { id: 'version', type: 'number', min: '0', size: 5, placeholder: 'default', value: version === null ? null : String(version) });
  const count = h('select', { id: 'count' }, ['100', '500', '1000'].map(c => h('option', { value: c, selected: c === (params.get('count') || '100') }, c)));
  const rows = h('tbody', { id: 'key-rows' });
  const status = h('span', { id: 'page-status', class: 'muted' });
  const prev = h('button', { id: 'prev-page', type: 'button', disabled: true }, '← Previous');
  const next = h('button', { id: 'next-page', type: 'button', disabled: true }, 'Next →');
  const cursors = ['0'];
  let at = 0;

  async function load(cursor) {
    prev.disabled = next.disabled = true;
    status.textContent = 'loading…';
    try {
      // a type filter may leave a SCAN step empty: walk on a few steps before showing an empty page
      let page;
      let keys = [];
      let steps = 0;
      do {
        page = await call('browseKeys', kv({
          cursor, pattern: pattern.value || '*', type: type.value || null, count: Number(count.value),
        }));
        keys = keys.concat(page.keys);
        cursor = page.cursor;
        steps++;
      } while (keys.length === 0 && cursor !== '0' && steps < 20);
      keys.sort((a, b) => a.key.localeCompare(b.key));
      rows.replaceChildren(...keys.map(k => h('tr', { class: 'key-row', 'data-key': k.key },
        h('td', {}, h('a', { href: keyLink(k.key), class: 'key-link' }, k.key)),
        h('td', { class: 'key-type' }, k.type),
        h('td', { class: 'num key-ttl', title: k.ttl === null ? '' : k.ttl + ' ms' }, ttlText(k.ttl)),
        h('td', { class: 'num key-size' }, k.size))));
      if (keys.length === 0) rows.append(h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'no keys on this page')));
      cursors.length = at + 1;
      if (page.cursor !== '0') cursors.push(page.cursor);
      next.disabled = page.cursor === '0';
      prev.disabled = at === 0;
      status.textContent = 'page ' + (at + 1) + ', ' + keys.length + ' keys' + (page.cursor === '0' ? ' (end of the keyspace)' : '');
    } catch (err) {
      status.textContent = '';
      failure(err);
    }
  }

  next.addEventListener('click', () => { at++; load(cursors[at]); });
  prev.addEventListener('click', () => { at--; load(cursors[at]); });
  const form = h('form', { class: 'inline', id: 'search-form' },
    h('label', {}, 'Pattern (glob over your keys)', pattern), h('label', {}, 'Type', type), h('label', {}, 'Version', versionInput), h('label', {}, 'Scan count', count),
    h('button', { id: 'search', type: 'submit' }, 'Search'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams({ pattern: pattern.value || '*', type: type.value, count: count.value });
    if (versionInput.value) q.set('version', versionInput.value);
    const target = '#/keys?' + q;
    if (location.hash === target) { cursors.length = 1; at = 0; load('0'); } else location.hash = target;
  });
  app(h('h1', {}, 'Keys'), form,
    h('table', { id: 'keys' }, h('thead', {}, h('tr', {}, h('th', {}, 'Key'), h('th', {}, 'Type'), h('th', { class: 'num' }, 'TTL'), h('th', { class: 'num' }, 'Size'))), rows),
    h('div', { class: 'pager' }, prev, next, status),
    h('p', { class: 'muted' }, 'Each page is one SCAN step: pages stay fast on any keyspace, and a page may hold fewer keys than the count.'));
  load('0');
}

// ---- one key ----

async function keyPage(key) {
  let info;
  try {
    info = await call('inspectKey', kv({ key }));
  } catch (err) {
    app(h('h1', {}, key));
    failure(err);
    return;
  }
  if (info === null) {
    app(h('h1', { id: 'key-title' }, key), h('p', { id: 'key-missing' }, 'This key does not exist (any more).'), h('a', { href: '#/keys' }, 'Back to the keys'));
    return;
  }
  const meta = h('p', { class: 'meta', id: 'key-meta' },
    h('span', {}, 'type ', h('b', { id: 'detail-type' }, info.type)),
    h('span', {}, 'TTL ', h('b', { id: 'detail-ttl', title: info.ttl === null ? '' : info.ttl + ' ms' }, ttlText(info.ttl))),
    h('span', {}, 'size ', h('b', { id: 'detail-size' }, info.size)));
  const content = h('div', { id: 'content' });
  const editArea = h('div');
  app(h('h1', { id: 'key-title' }, key), version === null ? null : h('p', { class: 'muted' }, 'version ' + version), meta, expiryControls(key, info),
    content, editArea, deleteControls(key));
  if (info.type === 'string') stringView(key, info, content);
  else if (info.type === 'hash') hashView(key, content);
  else if (info.type === 'list') rangeView(key, content, 'lrange', info.size);
  else if (info.type === 'zset') rangeView(key, content, 'zrange', info.size);
  else if (info.type === 'set') setView(key, content);
  else content.append(h('p', { class: 'muted' }, 'The service has no actions for ' + info.type + ' values.'));
  if (info.type !== 'string' && info.type !== 'stream') collectionEditor(key, info, editArea);
}

/** The whole content of a collection, in the shape replaceIfUnchanged takes. */
async function loadWhole(key, type) {
  if (type === 'hash') return call('hgetall', kv({ key }));
  if (type === 'list') return call('lrange', kv({ key, start: 0, stop: -1 }));
  if (type === 'set') return call('sscanIter', kv({ key }));
  return call('zrange', kv({ key, start: 0, stop: -1, withscores: true }));
}

function collectionEditor(key, info, content) {
  const box = h('div', { class: 'writer', id: 'edit' });
  content.append(box);
  if (!info.fingerprint) {
    box.append(h('p', { class: 'muted' }, 'Too large to edit here as a whole (more than 10,000 items).'));
    return;
  }
  const shape = { hash: '{"field": value, ...}', list: '[element, ...]', set: '[member, ...]', zset: '[[member, score], ...]' }[info.type];
  const open = h('button', { id: 'edit-collection', type: 'button' }, 'Edit the whole ' + info.type + ' as JSON');
  box.append(h('h2', {}, 'Edit'), open);
  open.addEventListener('click', async () => {
    try {
      const whole = await loadWhole(key, info.type);
      // the content must be the one the fingerprint describes: read it again after loading
      const again = await call('inspectKey', kv({ key }));
      if (!again || again.fingerprint !== info.fingerprint) {
        await keyPage(key);
        flash('The key changed while it loaded: this is the current content');
        return;
      }
      const editor = h('textarea', { id: 'value-editor', spellcheck: 'false' }, pretty(whole));
      const save = h('button', { id: 'save', type: 'button' }, 'Save');
      const conflict = h('div', { id: 'conflict', class: 'conflict', hidden: true });
      save.addEventListener('click', async () => {
        let value;
        try { value = JSON.parse(editor.value); } catch (e) { flash('Not JSON: ' + e.message, true); return; }
        try {
          const replaced = await call('replaceIfUnchanged', kv({ key, fingerprint: info.fingerprint, type: info.type, value: [value] }));
          if (replaced) {
            await keyPage(key);
            flash('Saved (TTL kept)');
            return;
          }
          const now = await call('inspectKey', kv({ key }));
          const current = now === null ? '(the key no longer exists)' : now.type !== info.type ? '(now a ' + now.type + ')' : pretty(await loadWhole(key, info.type));
          const reload = h('button', { id: 'reload', type: 'button' }, 'Discard my edit and load the current content');
          reload.addEventListener('click', () => keyPage(key));
          conflict.replaceChildren(h('b', {}, 'Not saved: the key changed since this page loaded. '), 'Your edit is still in the editor. Current content:',
            h('pre', { id: 'conflict-current' }, current), reload);
          conflict.hidden = false;
        } catch (err) { failure(err); }
      });
      open.replaceWith(h('p', { class: 'muted' }, 'The new content, as ' + shape + '. Saved only if nobody changed the key since this page loaded; the TTL is kept.'),
        editor, h('p', {}, save), conflict);
    } catch (err) { failure(err); }
  });
}

function expiryControls(key, info) {
  const seconds = h('input', { id: 'ttl-seconds', type: 'number', min: '1', step: 'any', size: 8, placeholder: 'seconds' });
  const form = h('form', { class: 'inline writer', id: 'ttl-form' },
    h('label', {}, 'Expire in (seconds)', seconds), h('button', { id: 'set-ttl', type: 'submit' }, 'Set TTL'),
    h('button', { id: 'persist', type: 'button', disabled: info.ttl === null }, 'Persist (no expiry)'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await call('expire', kv({ key, timeout: Number(seconds.value) }));
      route();
      flash('TTL set');
    } catch (err) { failure(err); }
  });
  form.querySelector('#persist').addEventListener('click', async () => {
    try {
      await call('persist', kv({ key }));
      route();
      flash('The key no longer expires');
    } catch (err) { failure(err); }
  });
  return form;
}

function deleteControls(key) {
  const really = h('button', { id: 'delete-confirm', type: 'button', class: 'danger', hidden: true }, 'Really delete ' + key);
  const ask = h('button', { id: 'delete', type: 'button' }, 'Delete…');
  ask.addEventListener('click', () => { really.hidden = false; });
  really.addEventListener('click', async () => {
    try {
      await call('delete', kv({ key }));
      location.hash = '#/keys';
      setTimeout(() => flash('Deleted ' + key), 0);
    } catch (err) { failure(err); }
  });
  return h('p', { class: 'writer' }, ask, ' ', really);
}

function stringView(key, info, content) {
  if ('undecodable' in info) {
    content.append(h('div', { class: 'warning', id: 'undecodable' },
      h('b', {}, 'No codec of this service reads this value. '), info.undecodable),
      h('p', {}, 'First stored bytes:'), h('pre', { id: 'preview' }, info.preview));
    return;
  }
  content.append(h('pre', { id: 'value' }, pretty(info.value)));
  const editor = h('textarea', { id: 'value-editor', spellcheck: 'false' }, pretty(info.value));
  const save = h('button', { id: 'save', type: 'button' }, 'Save');
  const conflict = h('div', { id: 'conflict', class: 'conflict', hidden: true });
  save.addEventListener('click', async () => {
    let value;
    try {
      value = JSON.parse(editor.value);
    } catch (e) {
      flash('Not JSON: ' + e.message, true);
      return;
    }
    try {
      const replaced = await call('replaceIfUnchanged', kv({ key, fingerprint: info.fingerprint, value: [value] }));
      if (replaced) {
        await keyPage(key);
        flash('Saved (TTL kept)');
        return;
      }
      const now = await call('inspectKey', kv({ key }));
      const reload = h('button', { id: 'reload', type: 'button' }, 'Discard my edit and load the current value');
      reload.addEventListener('click', () => keyPage(key));
      conflict.replaceChildren(
        h('b', {}, 'Not saved: the key changed since this page loaded. '), 'Your edit is still in the editor. Current value:',
        h('pre', { id: 'conflict-current' }, now === null ? '(the key no longer exists)' : now.type !== 'string' ? '(now a ' + now.type + ')' : pretty(now.value)),
        reload);
      conflict.hidden = false;
    } catch (err) { failure(err); }
  });
  content.append(h('div', { class: 'writer', id: 'edit' }, h('h2', {}, 'Edit (JSON)'), editor, h('p', {}, save), conflict));
}

function pager(onPage, total) {
  const status = h('span', { class: 'muted', id: 'detail-page' });
  const prev = h('button', { id: 'detail-prev', type: 'button' }, '← Previous');
  const next = h('button', { id: 'detail-next', type: 'button' }, 'Next →');
  let at = 0;
  const show = () => {
    prev.disabled = at === 0;
    next.disabled = (at + 1) * PAGE >= total();
    status.textContent = total() === 0 ? 'empty' : 'items ' + (at * PAGE + 1) + '–' + Math.min(total(), (at + 1) * PAGE) + ' of ' + total();
    onPage(at * PAGE, at * PAGE + PAGE - 1);
  };
  prev.addEventListener('click', () => { at--; show(); });
  next.addEventListener('click', () => { at++; show(); });
  return { el: h('div', { class: 'pager' }, prev, next, status), show };
}

async function hashView(key, content) {
  let fields;
  try {
    fields = Object.entries(await call('hgetall', kv({ key }))).sort((a, b) => a[0].localeCompare(b[0]));
  } catch (err) { failure(err); return; }
  const rows = h('tbody', { id: 'items' });
  const p = pager((from, to) => rows.replaceChildren(...fields.slice(from, to + 1).map(([f, v]) =>
    h('tr', { class: 'item' }, h('td', {}, f), h('td', {}, h('pre', {}, pretty(v)))))), () => fields.length);
  content.append(h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Field'), h('th', {}, 'Value'))), rows), p.el);
  p.show();
}

function rangeView(key, content, action, size) {
  const scored = action === 'zrange';
  const rows = h('tbody', { id: 'items' });
  const p = pager(async (from, to) => {
    try {
      const items = await call(action, kv(scored ? { key, start: from, stop: to, withscores: true } : { key, start: from, stop: to }));
      rows.replaceChildren(...items.map((item, i) => scored
        ? h('tr', { class: 'item' }, h('td', { class: 'num' }, from + i), h('td', {}, h('pre', {}, pretty(item[0]))), h('td', { class: 'num' }, item[1]))
        : h('tr', { class: 'item' }, h('td', { class: 'num' }, from + i), h('td', {}, h('pre', {}, pretty(item))))));
    } catch (err) { failure(err); }
  }, () => size);
  content.append(h('table', {}, h('thead', {}, h('tr', {}, h('th', { class: 'num' }, scored ? 'Rank' : 'Index'), h('th', {}, scored ? 'Member' : 'Element'),
    scored ? h('th', { class: 'num' }, 'Score') : null)), rows), p.el);
  p.show();
}

function setView(key, content) {
  const rows = h('tbody', { id: 'items' });
  const status = h('span', { class: 'muted', id: 'detail-page' });
  const next = h('button', { id: 'detail-next', type: 'button' }, 'Next →');
  let cursor = '0';
  let shown = 0;
  async function load() {
    try {
      const page = await call('sscan', kv({ key, cursor, count: PAGE }));
      rows.replaceChildren(...page.members.map(m => h('tr', { class: 'item' }, h('td', {}, h('pre', {}, pretty(m))))));
      shown += page.members.length;
      cursor = page.cursor;
      next.disabled = cursor === '0';
      status.textContent = shown + ' members seen' + (cursor === '0' ? ' (all)' : '');
    } catch (err) { failure(err); }
  }
  next.addEventListener('click', load);
  content.append(h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Member'))), rows), h('div', { class: 'pager' }, next, status));
  load();
}

// ---- add a key ----

function newKeyPage() {
  const ABSENT = '0'.repeat(40);
  const samples = { string: '{}', hash: '{"field": "value"}', list: '["first", "second"]', set: '["member"]', zset: '[["member", 1]]' };
  const key = h('input', { id: 'new-key', size: 40, required: true });
  const type = h('select', { id: 'new-type' }, Object.keys(samples).map(t => h('option', { value: t }, t)));
  const value = h('textarea', { id: 'new-value', spellcheck: 'false' }, samples.string);
  const ttl = h('input', { id: 'new-ttl', type: 'number', min: '1', step: 'any', placeholder: 'default', size: 8 });
  type.addEventListener('change', () => { value.value = samples[type.value]; });
  const form = h('form', { id: 'new-form' },
    h('p', {}, h('label', {}, 'Key', key), ' ', h('label', {}, 'Type', type), ' ',
      h('label', {}, 'TTL seconds (empty: the service default for a string, none for a collection)', ttl)),
    h('label', {}, 'Value (JSON)'), value, h('p', {}, h('button', { id: 'create', type: 'submit' }, 'Add (only if the key does not exist)')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    let v;
    try { v = JSON.parse(value.value); } catch (err) { flash('Not JSON: ' + err.message, true); return; }
    try {
      let added;
      if (type.value === 'string') {
        added = await call('add', kv(ttl.value ? { key: key.value, value: [v], options: { timeout: Number(ttl.value) } } : { key: key.value, value: [v] }));
      } else {
        // created only if absent (the fingerprint of a key that does not exist), then given its TTL
        added = await call('replaceIfUnchanged', kv({ key: key.value, fingerprint: ABSENT, type: type.value, value: [v] }));
        if (added && ttl.value) await call('expire', kv({ key: key.value, timeout: Number(ttl.value) }));
      }
      if (!added) { flash('Not added: the key exists already', true); return; }
      location.hash = keyLink(key.value);
    } catch (err) { failure(err); }
  });
  app(h('h1', {}, 'Add a key'), form);
}

// ---- locks and semaphores held ----

function leasesPage() {
  const locks = h('tbody', { id: 'lock-rows' });
  const semaphores = h('tbody', { id: 'semaphore-rows' });
  const refresh = h('button', { id: 'leases-refresh', type: 'button' }, 'Refresh');
  async function all(kind) {
    const found = [];
    let cursor = '0';
    let steps = 0;
    do {
      const page = await call('heldLeases', kv({ kind, cursor, count: 1000 }));
      found.push(...page.leases);
      cursor = page.cursor;
      steps++;
    } while (cursor !== '0' && steps < 50);
    return found.sort((a, b) => a.name.localeCompare(b.name));
  }
  async function load() {
    try {
      const [l, s] = await Promise.all([all('lock'), all('semaphore')]);
      locks.replaceChildren(...l.map(x => h('tr', { class: 'lock-row' }, h('td', {}, x.name), h('td', { class: 'num' }, x.fencingToken),
        h('td', { class: 'num', title: x.ttl + ' ms' }, ttlText(x.ttl)))));
      if (!l.length) locks.append(h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'no lock is held')));
      semaphores.replaceChildren(...s.map(x => h('tr', { class: 'semaphore-row' }, h('td', {}, x.name), h('td', { class: 'num' }, x.units),
        h('td', {}, x.claims.map(c => c.weight + ' for ' + ttlText(c.ttl)).join(', ')))));
      if (!s.length) semaphores.append(h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'no semaphore permit is held')));
    } catch (err) { failure(err); }
  }
  refresh.addEventListener('click', load);
  app(h('h1', {}, 'Locks and semaphores held'), h('p', {}, refresh),
    h('h2', {}, 'Locks'),
    h('table', { id: 'locks' }, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', { class: 'num' }, 'Fencing token'), h('th', { class: 'num' }, 'Expires in'))), locks),
    h('h2', {}, 'Semaphores'),
    h('table', { id: 'semaphores' }, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', { class: 'num' }, 'Units in use'), h('th', {}, 'Permits (weight for time left)'))), semaphores),
    h('p', { class: 'muted' }, 'Lease tokens, which prove ownership, are never shown.'));
  load();
}

// ---- server ----

async function serverPage() {
  let report;
  try {
    report = await call('serverInfo', { slowlogCount: 25 });
  } catch (err) { app(h('h1', {}, 'Server')); failure(err); return; }
  const sections = ['server', 'clients', 'memory', 'stats', 'replication', 'keyspace'];
  const tables = sections.filter(s => report.info[s]).map(s => h('div', {},
    h('h2', {}, s),
    h('table', { class: 'info', id: 'info-' + s }, h('tbody', {}, Object.entries(report.info[s]).map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', {}, v)))))));
  const slowlog = h('table', { id: 'slowlog' },
    h('thead', {}, h('tr', {}, h('th', {}, 'id'), h('th', {}, 'when'), h('th', { class: 'num' }, 'µs'), h('th', {}, 'command'), h('th', {}, 'client'))),
    h('tbody', {}, report.slowlog.map(e => h('tr', {}, h('td', {}, e.id), h('td', {}, new Date(e.time * 1000).toISOString()),
      h('td', { class: 'num' }, e.micros), h('td', {}, e.command.join(' ')), h('td', {}, e.client || '')))));
  app(h('h1', {}, 'Server'), h('h2', {}, 'Slowlog'), report.slowlog.length ? slowlog : h('p', { class: 'muted' }, 'empty'), ...tables, dangerZone());
}

function dangerZone() {
  const typed = h('input', { id: 'clear-confirm-text', placeholder: 'type clear', size: 12 });
  const button = h('button', { id: 'clear', type: 'button', class: 'danger' }, 'Clear every key of this service');
  button.addEventListener('click', async () => {
    if (typed.value !== 'clear') { flash('Type "clear" to confirm', true); return; }
    try {
      const n = await call('clear', {}, 'clear');
      typed.value = '';
      flash('Cleared: ' + n + ' keys deleted');
    } catch (err) { failure(err); }
  });
  return h('div', { class: 'danger-zone writer', id: 'danger-zone' }, h('h2', {}, 'Danger zone'),
    h('p', {}, 'Deletes every key of this service\'s prefix at the configured version (SCAN + UNLINK, never FLUSHDB).'), typed, ' ', button);
}

// ---- metrics ----

function metricsPage() {
  const series = { ops: [], hit: [], errors: [], latency: [] };
  const charts = {
    ops: chart('Operations / s', 'chart-ops'),
    hit: chart('Hit ratio %', 'chart-hit'),
    errors: chart('Errors / s', 'chart-errors'),
    latency: chart('Mean latency ms', 'chart-latency'),
  };
  const note = h('p', { class: 'muted', id: 'metrics-note' }, 'Sampled every 2 s from the service\'s meters (the last 2 minutes).');
  app(h('h1', {}, 'Metrics'), h('div', { class: 'charts' }, Object.values(charts).map(c => c.el)), note);
  let last = null;
  async function sample() {
    const m = await request('/api/metrics');
    if (!m || m.enabled === false) { note.textContent = 'This node records no metrics.'; return; }
    if (last) {
      const dt = (m.time - last.time) / 1000;
      const ops = m.operations - last.operations;
      const lookups = (m.hits - last.hits) + (m.misses - last.misses);
      push(series.ops, ops / dt);
      push(series.hit, lookups ? 100 * (m.hits - last.hits) / lookups : null);
      push(series.errors, (m.errors - last.errors) / dt);
      push(series.latency, ops ? 1000 * (m.operationSeconds - last.operationSeconds) / ops : null);
      for (const k of Object.keys(charts)) charts[k].draw(series[k]);
    }
    last = m;
  }
  sample();
  const timer = setInterval(sample, 2000);
  stopPage = () => clearInterval(timer);
}

function push(list, v) {
  list.push(v);
  if (list.length > 60) list.shift();
}

function chart(title, id) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 300 60');
  svg.setAttribute('preserveAspectRatio', 'none');
  const line = document.createElementNS(NS, 'polyline');
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', '#2f6fdb');
  line.setAttribute('stroke-width', '2');
  svg.append(line);
  const now = h('div', { class: 'now' }, '–');
  const el = h('div', { class: 'chart', id }, h('h3', {}, title), now, svg);
  return {
    el,
    draw(values) {
      const known = values.filter(v => v !== null);
      const max = Math.max(1e-9, ...known);
      const points = [];
      const span = Math.max(values.length - 1, 1);
      values.forEach((v, i) => { if (v !== null) points.push((i * 300 / span).toFixed(1) + ',' + (58 - 56 * v / max).toFixed(1)); });
      line.setAttribute('points', points.join(' '));
      const latest = values[values.length - 1];
      now.textContent = latest === null || latest === undefined ? '–' : (Math.round(latest * 100) / 100).toString();
    },
  };
}

// ---- start ----

// a fault of the page itself is said, never a blank page
window.addEventListener('error', (e) => flash('Page error: ' + e.message, true));
window.addEventListener('unhandledrejection', (e) => failure(e.reason));

(async () => {
  const s = await request('/api/session');
  if (s && s.user) startSession(s); else showLogin();
})();
