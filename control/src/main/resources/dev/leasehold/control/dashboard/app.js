// The Leasehold dashboard: one page per hash (#overview, #pools, #leases, #history, #config),
// each drawn from the public control API.
import { ApiError, call, forget, get, post, query, setToken, token } from '/ui/api.js';
import { lineChart, timeline } from '/ui/charts.js';

const PAGES = ['overview', 'pools', 'leases', 'history', 'config'];
const POLL_MS = 2000;
const SAMPLES = 90;
const $ = (id) => document.getElementById(id);

const samples = { times: [], stats: [] };
let poller = null;
let selected = null;
let readOnly = false;

/** A read-only token may only look: the buttons that would change something say so instead of failing. */
function applyAccess(caller) {
  readOnly = caller.access === 'read-only';
  for (const id of ['release-button', 'delete-button', 'reload-button']) {
    $(id).disabled = readOnly || (id === 'release-button' && selected && selected.state !== 'active');
    $(id).title = readOnly ? `the token '${caller.token}' is read-only` : '';
  }
}

function cell(row, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) {
    td.className = cls;
  }
  row.append(td);
  return td;
}

/** A table row headed by a row header: the pools and limits tables start each subnet's row so. */
function headedRow(text, dataKey, dataValue) {
  const tr = document.createElement('tr');
  tr.dataset[dataKey] = dataValue;
  const th = document.createElement('th');
  th.scope = 'row';
  th.textContent = text;
  tr.append(th);
  return tr;
}

function local(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

function duration(seconds) {
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60);
  return d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : `${m} min ${seconds % 60} s`;
}

function ms(v) {
  if (v === null || v === undefined) {
    return '–';
  }
  return v === '+Inf' ? '> 10 s' : v < 1 ? `≤ ${+(v * 1000).toPrecision(3)} ms` : `≤ ${v} s`;
}

/** Shows an API failure where the page reports; a 401 sends the user back to the login. */
function failed(where, e) {
  if (e instanceof ApiError && e.status === 401) {
    forget();
    route();
    $('login-error').textContent = 'The token was refused; log in again.';
    return;
  }
  $(where).textContent = e.message;
  $(where).classList.add('error');
}

function confirmAction(text) {
  return new Promise((resolve) => {
    const dialog = $('confirm');
    $('confirm-text').textContent = text;
    dialog.returnValue = '';
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
  });
}

// ---- login and routing ----

function route() {
  const page = location.hash.slice(1).split('?')[0];
  const loggedIn = !!token();
  $('nav').hidden = !loggedIn;
  const show = loggedIn ? (PAGES.includes(page) ? page : 'overview') : 'login';
  for (const id of ['login', ...PAGES]) {
    $(id).hidden = id !== show;
  }
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.getAttribute('href') === `#${show}`) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
  clearInterval(poller);
  poller = null;
  if (!loggedIn) {
    $('token').focus();
    return;
  }
  document.title = `Leasehold · ${$(`${show}-title`).textContent}`;
  ({ overview: showOverview, pools: showPools, leases: () => {}, history: showHistoryFromHash, config: showConfig })[show]();
}

$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('login-error').textContent = '';
  setToken($('token').value.trim());
  try {
    applyAccess((await get('/status')).caller);
    $('token').value = '';
    if (!PAGES.includes(location.hash.slice(1))) {
      location.hash = '#overview';
    }
    route();
    $('main').focus();
  } catch (e) {
    forget();
    $('login-error').textContent = e.status === 401 ? 'That token is not accepted by this server.' : e.message;
  }
});

$('logout-button').addEventListener('click', () => {
  forget();
  location.hash = '';
  route();
});

window.addEventListener('hashchange', route);

// ---- overview ----

async function pollOverview() {
  try {
    const [status, stats] = await Promise.all([get('/status'), get('/statistics')]);
    $('status-version').textContent = status.version;
    $('status-uptime').textContent = duration(status['uptime-seconds']);
    $('config-hash').textContent = status.config.sha256.slice(0, 12);
    $('config-hash').title = status.config.sha256;
    $('config-loaded').textContent = local(status.config['loaded-at']);
    $('durability').textContent = status.durability;
    $('store-health').textContent = `${status.store.writable ? 'writable' : 'NOT WRITABLE'}, ${status.store.leases} lease(s); ${status.store.detail}`;
    $('store-health').classList.toggle('error', !status.store.writable);
    $('offers').textContent = status['offers-outstanding'];
    $('caller').textContent = `${status.caller.token} (${status.caller.access})`;
    applyAccess(status.caller);
    const banner = $('disk-banner');
    banner.hidden = !status.config['disk-differs'];
    banner.textContent = 'The configuration file on disk differs from the one running: it was edited and not reloaded.';
    const body = $('latency').tBodies[0];
    body.replaceChildren();
    for (const [type, l] of Object.entries(status['reply-latency'])) {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = type;
      tr.append(th);
      cell(tr, l.count);
      cell(tr, ms(l.p50));
      cell(tr, ms(l.p90));
      cell(tr, ms(l.p99));
      body.append(tr);
    }
    samples.times.push(Date.now());
    samples.stats.push(stats);
    if (samples.times.length > SAMPLES) {
      samples.times.shift();
      samples.stats.shift();
    }
    drawRates();
    $('overview-status').textContent = '';
  } catch (e) {
    failed('overview-status', e);
  }
}

/** Rates between consecutive samples; a counter that went down (statistics reset) counts as zero. */
function rates(pick) {
  const out = [];
  for (let i = 1; i < samples.stats.length; i++) {
    const dt = (samples.times[i] - samples.times[i - 1]) / 1000;
    out.push(Math.max(0, pick(samples.stats[i]) - pick(samples.stats[i - 1])) / dt);
  }
  return out;
}

function drawRates() {
  const times = samples.times.slice(1);
  lineChart($('chart-packets'), times, [
    { name: 'received', values: rates((s) => s['packets-received']) },
    { name: 'sent', values: rates((s) => s['packets-sent']) },
  ], '/s');
  const last = samples.stats.at(-1);
  const reasons = Object.keys(last.dropped).filter((r) => last.dropped[r] > 0);
  lineChart($('chart-drops'), times, reasons.map((r) => ({ name: r, values: rates((s) => s.dropped[r]) })), '/s');
}

function showOverview() {
  pollOverview();
  poller = setInterval(pollOverview, POLL_MS);
}

// ---- subnets and pools ----

function thresholds() {
  return {
    warn: Number(localStorage.getItem('leasehold-warn-at') || 80),
    alarm: Number(localStorage.getItem('leasehold-alarm-at') || 95),
  };
}

$('threshold-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  localStorage.setItem('leasehold-warn-at', $('warn-at').value);
  localStorage.setItem('leasehold-alarm-at', $('alarm-at').value);
  showPools();
});

function usageBar(parts, total, level) {
  const bar = document.createElement('div');
  bar.className = `bar ${level}`;
  bar.setAttribute('role', 'img');
  const used = total - parts.free;
  const pct = total ? Math.round(100 * used / total) : 0;
  bar.setAttribute('aria-label', `${pct}% used: ${parts.assigned} assigned, ${parts.offered} offered, `
    + `${parts.declined} declined, ${parts.free} free of ${total}`);
  for (const k of ['assigned', 'offered', 'declined']) {
    const seg = document.createElement('span');
    seg.className = `seg ${k}`;
    seg.style.width = `${total ? 100 * parts[k] / total : 0}%`;
    bar.append(seg);
  }
  const label = document.createElement('span');
  label.className = 'pct';
  label.textContent = `${pct}%`;
  return [bar, label, pct];
}

async function showPools() {
  const t = thresholds();
  $('warn-at').value = t.warn;
  $('alarm-at').value = t.alarm;
  const body = $('pools-table').tBodies[0];
  try {
    const stats = await get('/statistics');
    $('pools-status').textContent = '';
    body.replaceChildren();
    for (const s of stats.subnets) {
      const tr = headedRow(`${s.id} · ${s.subnet}`, 'subnet', s.id);
      const used = s.total - s.free;
      const pct = s.total ? 100 * used / s.total : 0;
      const level = pct >= t.alarm ? 'alarm' : pct >= t.warn ? 'warn' : 'ok';
      const [bar, label] = usageBar(s, s.total, level);
      const use = cell(tr, '', 'use');
      use.append(bar, label);
      cell(tr, s.assigned, 'assigned');
      cell(tr, s.offered, 'offered');
      cell(tr, s.declined, 'declined');
      cell(tr, s.free, 'free');
      cell(tr, s.total, 'total');
      cell(tr, s['allocation-failures'], 'failures');
      tr.classList.add(level);
      body.append(tr);
      for (const p of s.pools) {
        const pr = document.createElement('tr');
        pr.className = 'pool';
        pr.dataset.pool = p.range;
        const ph = document.createElement('th');
        ph.scope = 'row';
        ph.textContent = `pool ${p.range}`;
        pr.append(ph);
        const ppct = p.total ? Math.round(100 * (p.total - p.free) / p.total) : 0;
        cell(pr, `${ppct}% used`, 'use');
        cell(pr, '');
        cell(pr, '');
        cell(pr, '');
        cell(pr, p.free, 'free');
        cell(pr, p.total, 'total');
        cell(pr, '');
        body.append(pr);
      }
    }
    showLimits(stats.limits);
  } catch (e) {
    body.replaceChildren();
    failed('pools-status', e);
  }
}

/** "10/s, burst 20, per circuit-id"; "none" for an absent limit. */
function describeLimits(l) {
  const rate = l['new-clients'];
  const max = l['max-leases'];
  const caps = [];
  if (max['per-circuit-id'] !== null) {
    caps.push(`${max['per-circuit-id']} per circuit id`);
  }
  if (max['per-remote-id'] !== null) {
    caps.push(`${max['per-remote-id']} per remote id`);
  }
  if (max['per-mac-prefix'] !== null) {
    caps.push(`${max['per-mac-prefix'].max} per ${max['per-mac-prefix'].length}-byte MAC prefix`);
  }
  const share = l['unknown-offer-share'];
  const d = l.declines;
  return {
    rate: rate ? `${rate['per-second']}/s, burst ${rate.burst}, per ${rate.per}` : 'none',
    max: caps.length ? caps.join('; ') : 'none',
    share: share === null ? 'none' : `${Math.round(share * 1000) / 10}%`,
    declines: d ? `${d.max} per ${duration(d['per-seconds'])}` : 'none',
    relays: l['trusted-relays'].length ? l['trusted-relays'].join(', ') : 'any',
    option82: l['option-82-without-giaddr'],
  };
}

function showLimits(limits) {
  const body = $('limits-table').tBodies[0];
  body.replaceChildren();
  for (const s of limits.subnets) {
    const tr = headedRow(`${s.id} · ${s.subnet}`, 'subnet', s.id);
    const text = describeLimits(s);
    cell(tr, s.from, 'from');
    cell(tr, text.rate, 'new-clients');
    cell(tr, text.max, 'max-leases');
    cell(tr, text.share, 'unknown-offer-share');
    cell(tr, text.declines, 'declines');
    cell(tr, text.relays, 'trusted-relays');
    cell(tr, text.option82, 'option-82');
    body.append(tr);
  }
  const drops = $('limit-drops').tBodies[0];
  drops.replaceChildren();
  for (const [reason, n] of Object.entries(limits['dropped-since-start'])) {
    const tr = headedRow(reason, 'reason', reason);
    cell(tr, n, 'dropped');
    drops.append(tr);
  }
}

// ---- leases ----

$('search-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const by = $('search-by').value;
  const value = $('search-value').value.trim();
  const status = $('search-status');
  status.classList.remove('error');
  status.textContent = 'Searching…';
  $('lease-detail').hidden = true;
  try {
    let leases;
    if (by === 'address') {
      leases = [await get(`/leases/${encodeURIComponent(value)}`)];
    } else if (by === 'circuit-id') {
      // Leases do not keep the relay's circuit id; the history does: the addresses it was seen with.
      const events = (await get(`/history/events${query({ 'circuit-id': value, limit: 1000 })}`)).events;
      const addresses = [...new Set(events.map((e) => e.address))];
      leases = [];
      for (const a of addresses) {
        try {
          leases.push(await get(`/leases/${a}`));
        } catch (e) {
          if (e.status !== 404) {
            throw e;
          }
        }
      }
    } else {
      leases = (await get(`/leases${query({ [by]: value, limit: 1000 })}`)).leases;
    }
    listLeases(leases);
    status.textContent = `${leases.length} lease(s) found`;
    if (leases.length === 1) {
      showLease(leases[0]);
    }
  } catch (e) {
    listLeases([]);
    if (e.status === 404) {
      status.textContent = 'No lease found';
    } else {
      failed('search-status', e);
    }
  }
});

function listLeases(leases) {
  const body = $('lease-results').tBodies[0];
  body.replaceChildren();
  for (const l of leases) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'link';
    b.textContent = l.address;
    b.addEventListener('click', () => showLease(l));
    td.append(b);
    tr.append(td);
    cell(tr, l.state, `state ${l.state}`);
    cell(tr, l.mac);
    cell(tr, l.hostname);
    cell(tr, l['subnet-id']);
    cell(tr, local(l['expires-at']));
    body.append(tr);
  }
}

function showLease(l) {
  selected = l;
  const dl = $('detail-fields');
  dl.replaceChildren();
  for (const k of ['address', 'state', 'mac', 'client-id', 'hostname', 'subnet-id', 'start', 'expires-at']) {
    const div = document.createElement('div');
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = k === 'start' || k === 'expires-at' ? `${local(l[k])} (${l[k]})` : l[k];
    dd.dataset.field = k;
    div.append(dt, dd);
    dl.append(div);
  }
  $('detail-title').textContent = `Lease ${l.address}`;
  $('release-button').disabled = readOnly || l.state !== 'active';
  $('detail-history').href = `#history?address=${encodeURIComponent(l.address)}`;
  $('lease-detail').hidden = false;
}

$('release-button').addEventListener('click', async () => {
  const l = selected;
  if (!l || !(await confirmAction(`Release ${l.address}, held by ${l.mac}? The address goes back to its pool;`
      + ' the client keeps using it until it renews and is refused.'))) {
    return;
  }
  try {
    const updated = await call('PUT', `/leases/${l.address}`, { state: 'released' });
    showLease(updated);
    $('search-status').textContent = `${l.address} released`;
  } catch (e) {
    failed('search-status', e);
  }
});

$('delete-button').addEventListener('click', async () => {
  const l = selected;
  if (!l || !(await confirmAction(`Delete the lease of ${l.address} (${l.mac})? The record is removed and the`
      + ' address goes back to its pool.'))) {
    return;
  }
  try {
    await call('DELETE', `/leases/${l.address}`);
    $('lease-detail').hidden = true;
    listLeases([]);
    $('search-status').textContent = `The lease of ${l.address} was deleted`;
  } catch (e) {
    failed('search-status', e);
  }
});

// ---- history ----

function toLocalInput(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromLocalInput(v) {
  return v ? new Date(v) : null;
}

function showHistoryFromHash() {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  if (!$('history-since').value) {
    const now = new Date();
    $('history-until').value = toLocalInput(new Date(now.getTime() + 60000));
    $('history-since').value = toLocalInput(new Date(now.getTime() - 24 * 3600 * 1000));
  }
  for (const by of ['address', 'mac', 'client-id']) {
    if (params.get(by)) {
      $('history-by').value = by;
      $('history-value').value = params.get(by);
      loadTimeline();
    }
  }
}

async function loadTimeline() {
  const by = $('history-by').value;
  const value = $('history-value').value.trim();
  const since = fromLocalInput($('history-since').value) || new Date(Date.now() - 7 * 86400000);
  const until = fromLocalInput($('history-until').value) || new Date();
  const status = $('history-status');
  status.classList.remove('error');
  if (!(since < until)) {
    status.textContent = '"From" must be before "To".';
    status.classList.add('error');
    return;
  }
  try {
    const r = await get(`/history/holdings${query({ [by]: value, since: since.toISOString(), until: until.toISOString() })}`);
    const holdings = r.holdings.map((h) => ({ ...h, label: by === 'address' ? `${h.mac} ${h.hostname}` : h.address }));
    timeline($('timeline'), holdings, since, until, (h) => `${h.address} held by ${h.mac}`
      + `${h.hostname ? ` (${h.hostname})` : ''} from ${local(h.from)} until ${local(h.until)}, ended by ${h['ended-by']}`);
    const list = document.createElement('ol');
    list.className = 'holdings';
    for (const h of holdings) {
      const li = document.createElement('li');
      li.textContent = `${local(h.from)} – ${local(h.until)}: ${h.address} held by ${h.mac}`
        + `${h.hostname ? ` (${h.hostname})` : ''}, ended by ${h['ended-by']}`;
      list.append(li);
    }
    $('timeline').append(list);
    status.textContent = `${holdings.length} holding(s)`;
  } catch (e) {
    $('timeline').replaceChildren();
    failed('history-status', e);
  }
}

$('history-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  loadTimeline();
});

$('holder-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const out = $('holder-answer');
  if ($('history-by').value !== 'address' || !$('history-value').value.trim()) {
    out.textContent = 'Choose "Address" above and name one first.';
    return;
  }
  const at = fromLocalInput($('holder-at').value) || new Date();
  try {
    const r = await get(`/history/holder${query({ address: $('history-value').value.trim(), at: at.toISOString() })}`);
    out.textContent = r.holder
      ? `${r.address} was held by ${r.holder.mac}${r.holder.hostname ? ` (${r.holder.hostname})` : ''} at ${local(r.at)}`
      : `Nobody held ${r.address} at ${local(r.at)}`;
  } catch (e) {
    failed('holder-answer', e);
  }
});

// ---- configuration ----

async function showConfig() {
  try {
    const c = await get('/config');
    $('config-file').textContent = c.file;
    $('config-sha').textContent = c.sha256;
    $('config-loaded-at').textContent = local(c['loaded-at']);
    $('config-disk').textContent = c['disk-differs'] ? 'differs from the running configuration (not reloaded)'
      : 'same as the running configuration';
    $('config-disk').classList.toggle('error', c['disk-differs']);
    $('config-text').textContent = c.text;
  } catch (e) {
    failed('reload-result', e);
  }
}

$('reload-button').addEventListener('click', async () => {
  const result = $('reload-result');
  const problems = $('reload-problems');
  result.classList.remove('error');
  result.textContent = 'Reloading…';
  problems.replaceChildren();
  try {
    const r = await post('/config/reload');
    result.textContent = `Reloaded: ${r.subnets} subnet(s), configuration ${r.sha256.slice(0, 12)}`;
    showConfig();
  } catch (e) {
    if (e.status === 401) {
      failed('reload-result', e);
      return;
    }
    result.textContent = `Refused: ${e.message}`;
    result.classList.add('error');
    for (const p of e.body.problems || []) {
      const li = document.createElement('li');
      const where = document.createElement('code');
      where.textContent = `${p.file}:${p.line}`;
      li.append(where, ` ${p.path ? `${p.path}: ` : ''}${p.message}`);
      problems.append(li);
    }
  }
});

if (token()) {
  get('/status').then((s) => applyAccess(s.caller), () => {});
}
route();
